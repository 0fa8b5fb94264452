// ISO 3166-1 countries: alpha-2|alpha-3|English short name|common alternative names (incl. a few
// native spellings). Hand-compiled by the Racine authors from the public ISO code list.
/** Nationality adjectives, common in `nationality` columns. */
export const DEMONYMS = `
afghan albanian algerian american andorran angolan argentine argentinian armenian australian austrian azerbaijani
bahamian bahraini bangladeshi barbadian belarusian belgian belizean beninese bhutanese bolivian bosnian botswanan
brazilian british bruneian bulgarian burkinabe burmese burundian cambodian cameroonian canadian chadian chilean chinese
colombian congolese costa-rican croatian cuban cypriot czech danish djiboutian dominican dutch ecuadorian egyptian
emirati english eritrean estonian ethiopian fijian filipino finnish french gabonese gambian georgian german ghanaian
greek grenadian guatemalan guinean guyanese haitian honduran hungarian icelandic indian indonesian iranian iraqi irish
israeli italian ivorian jamaican japanese jordanian kazakh kenyan korean kosovar kuwaiti kyrgyz laotian latvian
lebanese liberian libyan lithuanian luxembourgish macedonian malagasy malawian malaysian maldivian malian maltese
mauritanian mauritian mexican moldovan monegasque mongolian montenegrin moroccan mozambican namibian nepalese nepali
new-zealander nicaraguan nigerian nigerien norwegian omani pakistani palestinian panamanian paraguayan peruvian polish
portuguese qatari romanian russian rwandan salvadoran samoan saudi scottish senegalese serbian singaporean slovak
slovakian slovenian somali south-african spanish sri-lankan sudanese surinamese swedish swiss syrian taiwanese tajik
tanzanian thai togolese tongan trinidadian tunisian turkish turkmen ugandan ukrainian uruguayan uzbek venezuelan
vietnamese welsh yemeni zambian zimbabwean
`;

export const COUNTRIES = `
AF|AFG|Afghanistan
AL|ALB|Albania|Shqipëria
DZ|DZA|Algeria
AS|ASM|American Samoa
AD|AND|Andorra
AO|AGO|Angola
AI|AIA|Anguilla
AQ|ATA|Antarctica
AG|ATG|Antigua and Barbuda
AR|ARG|Argentina
AM|ARM|Armenia
AW|ABW|Aruba
AU|AUS|Australia
AT|AUT|Austria|Österreich
AZ|AZE|Azerbaijan
BS|BHS|Bahamas|The Bahamas
BH|BHR|Bahrain
BD|BGD|Bangladesh
BB|BRB|Barbados
BY|BLR|Belarus
BE|BEL|Belgium|Belgique|België
BZ|BLZ|Belize
BJ|BEN|Benin
BM|BMU|Bermuda
BT|BTN|Bhutan
BO|BOL|Bolivia
BA|BIH|Bosnia and Herzegovina
BW|BWA|Botswana
BR|BRA|Brazil|Brasil
BN|BRN|Brunei
BG|BGR|Bulgaria
BF|BFA|Burkina Faso
BI|BDI|Burundi
CV|CPV|Cabo Verde|Cape Verde
KH|KHM|Cambodia
CM|CMR|Cameroon
CA|CAN|Canada
KY|CYM|Cayman Islands
CF|CAF|Central African Republic
TD|TCD|Chad
CL|CHL|Chile
CN|CHN|China|People's Republic of China
CO|COL|Colombia
KM|COM|Comoros
CG|COG|Congo|Republic of the Congo
CD|COD|Democratic Republic of the Congo|DR Congo
CR|CRI|Costa Rica
CI|CIV|Côte d'Ivoire|Ivory Coast
HR|HRV|Croatia|Hrvatska
CU|CUB|Cuba
CW|CUW|Curaçao
CY|CYP|Cyprus
CZ|CZE|Czechia|Czech Republic
DK|DNK|Denmark|Danmark
DJ|DJI|Djibouti
DM|DMA|Dominica
DO|DOM|Dominican Republic
EC|ECU|Ecuador
EG|EGY|Egypt
SV|SLV|El Salvador
GQ|GNQ|Equatorial Guinea
ER|ERI|Eritrea
EE|EST|Estonia
SZ|SWZ|Eswatini|Swaziland
ET|ETH|Ethiopia
FJ|FJI|Fiji
FI|FIN|Finland|Suomi
FR|FRA|France
GF|GUF|French Guiana
PF|PYF|French Polynesia
GA|GAB|Gabon
GM|GMB|Gambia|The Gambia
GE|GEO|Georgia
DE|DEU|Germany|Deutschland
GH|GHA|Ghana
GI|GIB|Gibraltar
GR|GRC|Greece|Hellas
GL|GRL|Greenland
GD|GRD|Grenada
GP|GLP|Guadeloupe
GU|GUM|Guam
GT|GTM|Guatemala
GG|GGY|Guernsey
GN|GIN|Guinea
GW|GNB|Guinea-Bissau
GY|GUY|Guyana
HT|HTI|Haiti
HN|HND|Honduras
HK|HKG|Hong Kong
HU|HUN|Hungary|Magyarország
IS|ISL|Iceland|Ísland
IN|IND|India|Bharat
ID|IDN|Indonesia
IR|IRN|Iran
IQ|IRQ|Iraq
IE|IRL|Ireland|Éire
IM|IMN|Isle of Man
IL|ISR|Israel
IT|ITA|Italy|Italia
JM|JAM|Jamaica
JP|JPN|Japan|Nippon
JE|JEY|Jersey
JO|JOR|Jordan
KZ|KAZ|Kazakhstan
KE|KEN|Kenya
KI|KIR|Kiribati
KP|PRK|North Korea|Democratic People's Republic of Korea
KR|KOR|South Korea|Korea|Republic of Korea
XK|XKX|Kosovo
KW|KWT|Kuwait
KG|KGZ|Kyrgyzstan
LA|LAO|Laos
LV|LVA|Latvia
LB|LBN|Lebanon
LS|LSO|Lesotho
LR|LBR|Liberia
LY|LBY|Libya
LI|LIE|Liechtenstein
LT|LTU|Lithuania
LU|LUX|Luxembourg
MO|MAC|Macao|Macau
MG|MDG|Madagascar
MW|MWI|Malawi
MY|MYS|Malaysia
MV|MDV|Maldives
ML|MLI|Mali
MT|MLT|Malta
MH|MHL|Marshall Islands
MQ|MTQ|Martinique
MR|MRT|Mauritania
MU|MUS|Mauritius
YT|MYT|Mayotte
MX|MEX|Mexico|México
FM|FSM|Micronesia
MD|MDA|Moldova
MC|MCO|Monaco
MN|MNG|Mongolia
ME|MNE|Montenegro
MS|MSR|Montserrat
MA|MAR|Morocco
MZ|MOZ|Mozambique
MM|MMR|Myanmar|Burma
NA|NAM|Namibia
NR|NRU|Nauru
NP|NPL|Nepal
NL|NLD|Netherlands|The Netherlands|Holland|Nederland
NC|NCL|New Caledonia
NZ|NZL|New Zealand|Aotearoa
NI|NIC|Nicaragua
NE|NER|Niger
NG|NGA|Nigeria
MK|MKD|North Macedonia|Macedonia
MP|MNP|Northern Mariana Islands
NO|NOR|Norway|Norge
OM|OMN|Oman
PK|PAK|Pakistan
PW|PLW|Palau
PS|PSE|Palestine
PA|PAN|Panama|Panamá
PG|PNG|Papua New Guinea
PY|PRY|Paraguay
PE|PER|Peru|Perú
PH|PHL|Philippines
PL|POL|Poland|Polska
PT|PRT|Portugal
PR|PRI|Puerto Rico
QA|QAT|Qatar
RE|REU|Réunion
RO|ROU|Romania|România
RU|RUS|Russia|Russian Federation
RW|RWA|Rwanda
KN|KNA|Saint Kitts and Nevis
LC|LCA|Saint Lucia
VC|VCT|Saint Vincent and the Grenadines
WS|WSM|Samoa
SM|SMR|San Marino
ST|STP|Sao Tome and Principe
SA|SAU|Saudi Arabia
SN|SEN|Senegal
RS|SRB|Serbia|Srbija
SC|SYC|Seychelles
SL|SLE|Sierra Leone
SG|SGP|Singapore
SX|SXM|Sint Maarten
SK|SVK|Slovakia|Slovensko
SI|SVN|Slovenia|Slovenija
SB|SLB|Solomon Islands
SO|SOM|Somalia
ZA|ZAF|South Africa
SS|SSD|South Sudan
ES|ESP|Spain|España
LK|LKA|Sri Lanka
SD|SDN|Sudan
SR|SUR|Suriname
SE|SWE|Sweden|Sverige
CH|CHE|Switzerland|Schweiz|Suisse|Svizzera
SY|SYR|Syria
TW|TWN|Taiwan
TJ|TJK|Tajikistan
TZ|TZA|Tanzania
TH|THA|Thailand
TL|TLS|Timor-Leste|East Timor
TG|TGO|Togo
TO|TON|Tonga
TT|TTO|Trinidad and Tobago
TN|TUN|Tunisia
TR|TUR|Turkey|Türkiye
TM|TKM|Turkmenistan
TC|TCA|Turks and Caicos Islands
TV|TUV|Tuvalu
UG|UGA|Uganda
UA|UKR|Ukraine
AE|ARE|United Arab Emirates|UAE
GB|GBR|United Kingdom|UK|Great Britain|Britain|England|Scotland|Wales|Northern Ireland
US|USA|United States|United States of America|America|U.S.A.|U.S.
UY|URY|Uruguay
UZ|UZB|Uzbekistan
VU|VUT|Vanuatu
VA|VAT|Vatican City|Holy See
VE|VEN|Venezuela
VN|VNM|Vietnam|Viet Nam
VG|VGB|British Virgin Islands
VI|VIR|U.S. Virgin Islands
EH|ESH|Western Sahara
YE|YEM|Yemen
ZM|ZMB|Zambia
ZW|ZWE|Zimbabwe
`;
