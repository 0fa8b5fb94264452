// Common family names from the US census top list and frequent names across Europe, Latin
// America, India, China, Korea, Japan, Vietnam, the Middle East and Africa. Hand-compiled by the
// Racine authors (public-domain facts); stored folded to lower case.
export const SURNAMES = `
abbott acosta adams adeyemi agarwal aguilar ahmed ali allen alvarez anderson andrews armstrong arnold ashby atkinson austin avila
bailey baker baldwin banerjee barker barnes barrett bauer baxter beck becker bell bennett bernard berry bertrand bianchi bishop black blair blanco bonnet bose boyd bradley brady braun brennan brooks brown bruno bryant burke burns butler byrne
caldwell campbell cano cardenas carlson carpenter carr carroll carter castillo castro chambers chan chang chapman chatterjee chavez chen cheng chowdhury choi clark clarke cohen cole coleman collins colombo conti cook cooper costa cox craig crawford cruz cunningham curtis
dang daniels das davidson davies davis dawson day dean delgado diaz dixon doherty dominguez douglas doyle dubois duncan dunn dupont durand
edwards elliott ellis evans
farrell fernandes fernandez ferguson ferrari ferreira fischer fisher fitzgerald fleming fletcher flores ford foster fournier fox francis franco freeman fuchs fuller
gallagher garcia gardner garner garza george ghosh gibson gill gomes gomez gonzales gonzalez gordon graham grant gray green greene griffin gupta gutierrez guzman
hall hamilton hansen hanson harper harris harrison hart hartmann harvey hawkins hayes henderson henry hernandez herrera hicks hill hoffmann hoffman holland holmes hopkins howard howell huang hudson hughes hunt hunter hussain
ibrahim ito iyer
jackson jacobs james jansen jenkins jensen jimenez johansson johnson johnston jones jordan joseph joshi jung
kaiser kang kapoor kaur keller kelly kennedy khan kim king klein knight koch kowalski kramer krause kumar
lambert lang larsen larson lawrence lawson le lee lefebvre lehmann leroy lewis li lim lin little liu lopez lowe lucas lynch
ma macdonald mahmoud malik marchetti marshall martin martinez mason matthews mccarthy mcdonald mckenzie medina mehta mendez mendoza meyer miller mills mishra mitchell mohamed molina moore morales moreau moreno morgan morris morrison muller murphy murray
nair nakamura nelson neumann nguyen nichols nielsen novak
obrien oconnor okafor okonkwo oliveira olsen olson ortega ortiz owens
palmer park parker patel patil patterson payne pereira perez perry peters petersen peterson petit phillips pham pierce porter powell price pillai
quinn
rahman ramirez ramos rao reddy reed reid reyes reynolds rhodes rice richard richards richardson richter riley rivera roberts robertson robinson rodrigues rodriguez rogers romano romero rose ross rossi roux ruiz russell russo ryan
saito salazar sanchez sanders santos sato schmidt schmitt schneider schofield scholz schulz schwartz scott shah sharma shaw shin silva simmons simpson singh smith snyder sokolov song sousa spencer stewart stone sullivan suzuki sutherland
takahashi tanaka taylor thomas thompson thomson tiwari torres tran tucker turner
vargas vasquez vaughn vega verma vogel volkov
wagner walker wallace walsh wang ward warren washington watanabe watson weaver webb weber weiss wells west white williams williamson wilson wolf wong wood woods wright wu
xu
yamamoto yang yadav young yu
zhang zhao zhou zimmermann
`;
