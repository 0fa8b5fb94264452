// First-level subdivisions: code|name|alternatives. US states and territories, Canadian provinces,
// Australian states, plus names (no codes) of German, Indian, Mexican and other large regions.
// Hand-compiled by the Racine authors from public ISO 3166-2 lists.
export const REGIONS = `
AL|Alabama
AK|Alaska
AZ|Arizona
AR|Arkansas
CA|California
CO|Colorado
CT|Connecticut
DE|Delaware
DC|District of Columbia|Washington DC|Washington D.C.
FL|Florida
GA|Georgia
HI|Hawaii
ID|Idaho
IL|Illinois
IN|Indiana
IA|Iowa
KS|Kansas
KY|Kentucky
LA|Louisiana
ME|Maine
MD|Maryland
MA|Massachusetts
MI|Michigan
MN|Minnesota
MS|Mississippi
MO|Missouri
MT|Montana
NE|Nebraska
NV|Nevada
NH|New Hampshire
NJ|New Jersey
NM|New Mexico
NY|New York|New York State
NC|North Carolina
ND|North Dakota
OH|Ohio
OK|Oklahoma
OR|Oregon
PA|Pennsylvania
RI|Rhode Island
SC|South Carolina
SD|South Dakota
TN|Tennessee
TX|Texas
UT|Utah
VT|Vermont
VA|Virginia
WA|Washington|Washington State
WV|West Virginia
WI|Wisconsin
WY|Wyoming
PR|Puerto Rico
GU|Guam
VI|U.S. Virgin Islands
AS|American Samoa
MP|Northern Mariana Islands
AB|Alberta
BC|British Columbia|Colombie-Britannique
MB|Manitoba
NB|New Brunswick|Nouveau-Brunswick
NL|Newfoundland and Labrador|Newfoundland
NS|Nova Scotia|Nouvelle-Écosse
NT|Northwest Territories
NU|Nunavut
ON|Ontario
PE|Prince Edward Island|PEI
QC|Quebec|Québec
SK|Saskatchewan
YT|Yukon
NSW|New South Wales
VIC|Victoria
QLD|Queensland
WA|Western Australia
SA|South Australia
TAS|Tasmania
ACT|Australian Capital Territory
NT|Northern Territory
-|Baden-Württemberg|Bavaria|Bayern|Brandenburg|Hesse|Hessen|Lower Saxony|Niedersachsen|Mecklenburg-Vorpommern|North Rhine-Westphalia|Nordrhein-Westfalen|Rhineland-Palatinate|Rheinland-Pfalz|Saarland|Saxony|Sachsen|Saxony-Anhalt|Sachsen-Anhalt|Schleswig-Holstein|Thuringia|Thüringen
-|Île-de-France|Ile-de-France|Auvergne-Rhône-Alpes|Bourgogne-Franche-Comté|Bretagne|Brittany|Centre-Val de Loire|Corse|Corsica|Grand Est|Hauts-de-France|Normandie|Normandy|Nouvelle-Aquitaine|Occitanie|Pays de la Loire|Provence-Alpes-Côte d'Azur
-|Andalusia|Andalucía|Aragon|Asturias|Balearic Islands|Canary Islands|Cantabria|Castile and León|Castilla y León|Castilla-La Mancha|Catalonia|Cataluña|Catalunya|Extremadura|Galicia|La Rioja|Murcia|Navarre|Navarra|Basque Country|País Vasco|Comunidad de Madrid|Comunitat Valenciana
-|Lombardy|Lombardia|Lazio|Campania|Sicily|Sicilia|Veneto|Emilia-Romagna|Piedmont|Piemonte|Apulia|Puglia|Tuscany|Toscana|Calabria|Sardinia|Sardegna|Liguria|Marche|Abruzzo|Umbria|Trentino-Alto Adige|Friuli-Venezia Giulia|Basilicata|Molise|Aosta Valley
-|England|Scotland|Wales|Northern Ireland|Greater London|West Midlands|Greater Manchester|West Yorkshire|Kent|Essex|Surrey|Hampshire|Lancashire|Devon|Cornwall
-|Maharashtra|Uttar Pradesh|Tamil Nadu|Karnataka|Kerala|Gujarat|Rajasthan|West Bengal|Madhya Pradesh|Andhra Pradesh|Telangana|Bihar|Punjab|Haryana|Odisha|Assam|Jharkhand|Chhattisgarh|Uttarakhand|Himachal Pradesh|Goa|Delhi
-|Jalisco|Nuevo León|Nuevo Leon|Veracruz|Puebla|Guanajuato|Chiapas|Chihuahua|Oaxaca|Michoacán|Michoacan|Baja California|Sonora|Coahuila|Tamaulipas|Sinaloa|Yucatán|Yucatan|Quintana Roo|Estado de México
-|São Paulo|Rio de Janeiro|Minas Gerais|Bahia|Paraná|Rio Grande do Sul|Pernambuco|Ceará|Santa Catarina|Amazonas
`;
