// A second hand-written set, written after the rules were frozen and NOT used for tuning: its
// figures estimate how the engine does on schemas it has not seen (Shopify/Magento, HubSpot,
// Zendesk, Workday, FHIR, telecom, airline, insurance, core banking, Moodle, ad-tech).
// Checksummed values were produced with eval/random.ts (seed 31337) and pasted here.
import type { EvalColumn } from '../src/evaluation.js';
import type { ColumnInfo } from '../src/types.js';

type Extra = Partial<Omit<ColumnInfo, 'name' | 'tableName'>> & { acceptable?: string[] };

function col(
  tableName: string,
  name: string,
  expected: string[],
  values: unknown[],
  extra: Extra = {},
): EvalColumn {
  const { acceptable, ...info } = extra;
  const c: EvalColumn = {
    column: { name, tableName, ...info },
    values,
    expected,
    source: 'handwritten-holdout',
  };
  if (acceptable) c.acceptable = acceptable;
  return c;
}

const SHOP = [
  'id',
  'email',
  'first_name',
  'last_name',
  'phone',
  'accepts_marketing',
  'orders_count',
  'total_spent',
  'tags',
];
const MAGENTO_ADDR = [
  'entity_id',
  'parent_id',
  'firstname',
  'lastname',
  'street',
  'city',
  'region',
  'postcode',
  'country_id',
  'telephone',
];
const HUBSPOT = [
  'hs_object_id',
  'firstname',
  'lastname',
  'email',
  'jobtitle',
  'company',
  'lifecyclestage',
  'hs_lead_status',
];
const ZENDESK = [
  'id',
  'requester_id',
  'subject',
  'description',
  'status',
  'priority',
  'via_channel',
  'created_at',
];
const WORKDAY = [
  'worker_id',
  'legal_first_name',
  'legal_last_name',
  'birth_date',
  'gender',
  'ssn',
  'base_pay',
  'cost_center',
];
const FHIR = [
  'id',
  'identifier_value',
  'name_family',
  'name_given',
  'birthDate',
  'gender',
  'address_line',
  'telecom_value',
];
const CDR = [
  'call_id',
  'calling_number',
  'called_number',
  'start_time',
  'duration_sec',
  'cell_id',
  'imsi',
];
const PNR = [
  'record_locator',
  'pax_first_name',
  'pax_last_name',
  'passport_no',
  'dob',
  'seat',
  'fare_class',
  'ff_number',
];
const POLICY = [
  'policy_no',
  'holder_name',
  'holder_dob',
  'premium',
  'vehicle_vin',
  'start_date',
  'agent_code',
];
const CORE = [
  'acct_id',
  'cust_no',
  'acct_num',
  'aba_rtn',
  'iban',
  'currency',
  'ledger_balance',
  'open_dt',
];
const MOODLE = [
  'id',
  'username',
  'firstname',
  'lastname',
  'email',
  'idnumber',
  'institution',
  'lastip',
  'lang',
];
const ADS = [
  'event_id',
  'device_id',
  'ip',
  'user_agent',
  'campaign_id',
  'bid_price',
  'geo_lat',
  'geo_lon',
  'ts',
];

export const HANDWRITTEN_HOLDOUT: EvalColumn[] = [
  // Shopify / Magento
  col(
    'shopify_customers',
    'email',
    ['PII.EMAIL_ADDRESS'],
    [
      'kate.m@example.com',
      'RYAN.OCONNOR@EXAMPLE.NET',
      'li.na@example.cn',
      '',
      'pat+orders@example.org',
      'tomas@example.cz',
    ],
    { neighbourColumns: SHOP },
  ),
  col(
    'shopify_customers',
    'phone',
    ['PII.PHONE_NUMBER'],
    ['+16135550123', '+61 2 5550 1234', null, '+14165550199', '+353 1 555 0142'],
    { neighbourColumns: SHOP },
  ),
  col('shopify_customers', 'tags', [], ['vip, wholesale', 'newsletter', '', 'returning', 'vip'], {
    neighbourColumns: SHOP,
  }),
  col('shopify_customers', 'total_spent', [], ['1204.50', '89.00', '0.00', '455.10', '3090.99'], {
    neighbourColumns: SHOP,
  }),
  col('shopify_customers', 'orders_count', [], [3, 1, 0, 7, 22, 2], { neighbourColumns: SHOP }),
  col(
    'sales_order_address',
    'street',
    ['PII.STREET_ADDRESS'],
    [
      '12 Oak Ridge Road',
      '4400 Lakeshore Blvd W\nUnit 1207',
      '77 High Street',
      'Calle de Serrano 41',
      '18 Chemin des Vignes',
    ],
    { neighbourColumns: MAGENTO_ADDR },
  ),
  col(
    'sales_order_address',
    'region',
    ['PII.STATE_PROVINCE'],
    ['Ontario', 'New South Wales', 'California', 'Texas', 'Bavaria', 'Florida'],
    { neighbourColumns: MAGENTO_ADDR },
  ),
  col(
    'sales_order_address',
    'postcode',
    ['PII.POSTAL_CODE'],
    ['M5J 2N1', '2000', '90210', '75002', 'W1D 3QF', '80331'],
    { neighbourColumns: MAGENTO_ADDR },
  ),
  col('sales_order_address', 'country_id', ['PII.COUNTRY'], ['CA', 'AU', 'US', 'FR', 'GB', 'DE'], {
    neighbourColumns: MAGENTO_ADDR,
  }),
  col(
    'sales_order_address',
    'telephone',
    ['PII.PHONE_NUMBER'],
    ['416-555-0182', '02 5550 1234', '310.555.0147', '01 45 55 01 23', '020 7946 0321'],
    { neighbourColumns: MAGENTO_ADDR },
  ),
  col(
    'sales_order_address',
    'lastname',
    ['PII.PERSON_NAME'],
    ['Tremblay', 'Nguyen', 'Hoffmann', 'Martin', 'Okonkwo', 'Fernandes'],
    { neighbourColumns: MAGENTO_ADDR },
  ),
  col(
    'sales_order',
    'increment_id',
    [],
    ['000000123', '000000124', '000000131', '000000187', '000000201'],
    { neighbourColumns: ['entity_id', 'grand_total', 'status'] },
  ),
  col('sales_order', 'grand_total', [], ['49.9900', '120.0000', '15.5000', '899.0000'], {
    neighbourColumns: ['increment_id', 'status'],
  }),
  col(
    'sales_order',
    'customer_note',
    [],
    [
      'Please ring the bell twice',
      'Gift wrap if possible, it is for my sister',
      '',
      'No plastic packaging please',
    ],
    { neighbourColumns: ['increment_id', 'status'] },
  ),

  // HubSpot / Zendesk
  col(
    'hubspot_contacts',
    'firstname',
    ['PII.PERSON_NAME'],
    ['Megan', 'Arjun', 'Lucas', 'Yasmin', 'Connor', 'Elif'],
    { neighbourColumns: HUBSPOT },
  ),
  col(
    'hubspot_contacts',
    'jobtitle',
    [],
    ['VP Marketing', 'CTO', 'Office Manager', 'Procurement Lead', 'Founder'],
    { neighbourColumns: HUBSPOT },
  ),
  col(
    'hubspot_contacts',
    'lifecyclestage',
    [],
    ['lead', 'subscriber', 'customer', 'opportunity', 'lead'],
    { neighbourColumns: HUBSPOT },
  ),
  col(
    'hubspot_contacts',
    'company',
    [],
    ['Brightline Analytics', 'Kettle & Co', 'Nordlicht AG', 'Blue Heron Studios'],
    { neighbourColumns: HUBSPOT },
  ),
  col('hubspot_contacts', 'hs_object_id', [], ['51', '101', '151', '201', '251', '301'], {
    neighbourColumns: HUBSPOT,
  }),
  col(
    'zendesk_tickets',
    'description',
    [],
    [
      'Hi, my invoice shows the wrong amount, can you check it?',
      'The app keeps logging me out every few minutes.',
      'I would like to cancel my subscription at the end of the month.',
    ],
    { neighbourColumns: ZENDESK },
  ),
  col('zendesk_tickets', 'via_channel', [], ['email', 'web', 'chat', 'api', 'voice'], {
    neighbourColumns: ZENDESK,
  }),
  col(
    'zendesk_users',
    'name',
    ['PII.PERSON_NAME'],
    ['Harriet Vance', 'Omar Farouk', 'Beatriz Souza', 'Kenji Watanabe', 'Claire Dupont'],
    { neighbourColumns: ['id', 'email', 'role', 'time_zone'] },
  ),
  col(
    'zendesk_users',
    'time_zone',
    [],
    ['Eastern Time (US & Canada)', 'London', 'Berlin', 'Tokyo', 'Pacific Time (US & Canada)'],
    { neighbourColumns: ['id', 'name', 'email'] },
  ),

  // Workday HR
  col(
    'workers',
    'legal_last_name',
    ['PII.PERSON_NAME'],
    ['Anderson', 'Kowalczyk', 'Iyer', 'Moreau', 'Bianchi', 'Sato'],
    { neighbourColumns: WORKDAY },
  ),
  col(
    'workers',
    'birth_date',
    ['PII.DATE_OF_BIRTH'],
    ['1983-02-14', '1971-09-30', '1995-12-01', '1988-06-18', '1960-03-03'],
    { neighbourColumns: WORKDAY },
  ),
  col('workers', 'gender', ['PII.GENDER'], ['Female', 'Male', 'Male', 'Not Declared', 'Female'], {
    neighbourColumns: WORKDAY,
  }),
  col(
    'workers',
    'ssn',
    ['GOV.US_SSN'],
    ['846-88-2884', '640-05-8587', '860-39-4380', '766-63-2485', '323-69-9827'],
    { neighbourColumns: WORKDAY, acceptable: ['GOV.NATIONAL_ID'] },
  ),
  col(
    'workers',
    'base_pay',
    ['FIN.SALARY'],
    ['USD 95,000.00', 'USD 142,500.00', 'USD 61,250.00', 'USD 78,000.00'],
    { neighbourColumns: WORKDAY },
  ),
  col(
    'workers',
    'cost_center',
    [],
    ['CC-1001 Engineering', 'CC-2040 Sales', 'CC-3100 Finance', 'CC-1001 Engineering'],
    { neighbourColumns: WORKDAY },
  ),
  col('workers', 'hire_date', [], ['2019-04-01', '2021-11-15', '2016-02-29', '2023-07-10'], {
    neighbourColumns: WORKDAY,
  }),
  col(
    'workers',
    'personal_email',
    ['PII.EMAIL_ADDRESS'],
    ['annie.a@gmail.com', 'pkowal@outlook.com', 'r.iyer@yahoo.co.in', 'jmoreau@free.fr'],
    { neighbourColumns: WORKDAY },
  ),
  col('dependents', 'relationship', [], ['spouse', 'child', 'child', 'domestic partner'], {
    neighbourColumns: ['worker_id', 'dependent_name', 'dob'],
  }),
  col(
    'dependents',
    'dependent_name',
    ['PII.PERSON_NAME'],
    ['Ella Anderson', 'Jakub Kowalczyk', 'Meera Iyer', 'Louis Moreau'],
    { neighbourColumns: ['worker_id', 'relationship', 'dob'] },
  ),

  // FHIR / healthcare
  col(
    'fhir_patient',
    'name_family',
    ['PII.PERSON_NAME'],
    ['Chalmers', 'Windsor', 'Donald', 'Van de Heuvel', 'Nakamura'],
    { neighbourColumns: FHIR },
  ),
  col(
    'fhir_patient',
    'birthDate',
    ['PII.DATE_OF_BIRTH'],
    ['1974-12-25', '2012-06-03', '1949-01-17', '1990-08-08'],
    { neighbourColumns: FHIR },
  ),
  col(
    'fhir_patient',
    'telecom_value',
    ['PII.PHONE_NUMBER'],
    ['(03) 5555 6473', '(03) 3410 5613', '0491 570 156', '+61 3 5555 0100'],
    { neighbourColumns: FHIR },
  ),
  col(
    'fhir_patient',
    'identifier_value',
    ['GOV.UK_NHS_NUMBER'],
    ['625 850 2792', '598 162 8553', '698 880 5796', '687 823 9508'],
    { neighbourColumns: FHIR, acceptable: ['PHI.MEDICAL_RECORD_NUMBER'] },
  ),
  col(
    'fhir_condition',
    'code_display',
    ['PHI.HEALTH_CONDITION'],
    [
      'Essential hypertension',
      'Diabetes mellitus type 2',
      'Acute bronchitis',
      'Chronic sinusitis',
      'Otitis media',
    ],
    { neighbourColumns: ['subject_reference', 'onset_date', 'clinical_status'] },
  ),
  col('fhir_condition', 'clinical_status', [], ['active', 'resolved', 'active', 'inactive'], {
    neighbourColumns: ['code_display', 'onset_date'],
  }),
  col(
    'fhir_practitioner',
    'npi',
    ['PHI.US_NPI'],
    ['2664425883', '1035624075', '2684025663', '2623091545'],
    { neighbourColumns: ['name', 'specialty', 'phone'] },
  ),
  col('lab_results', 'loinc_code', [], ['2345-7', '718-7', '4548-4', '2093-3', '6690-2'], {
    neighbourColumns: ['patient_id', 'value', 'unit', 'resulted_at'],
  }),
  col('lab_results', 'value', [], ['5.4', '13.2', '6.1', '180', '7.2'], {
    neighbourColumns: ['loinc_code', 'unit'],
  }),
  col(
    'prescriptions',
    'drug_name',
    [],
    ['Metformin 500 mg', 'Lisinopril 10 mg', 'Atorvastatin 20 mg', 'Amoxicillin 250 mg'],
    { neighbourColumns: ['patient_id', 'prescriber_npi', 'quantity'] },
  ),
  col(
    'prescriptions',
    'prescriber_npi',
    ['PHI.US_NPI'],
    ['1854498551', '2566178986', '2664425883', '1035624075'],
    { neighbourColumns: ['patient_id', 'drug_name'] },
  ),

  // Telecom
  col(
    'cdr',
    'calling_number',
    ['PII.PHONE_NUMBER'],
    ['447700900461', '447700900872', '447911123456', '447400123789', '447700900123'],
    { neighbourColumns: CDR },
  ),
  col('cdr', 'duration_sec', [], [34, 612, 5, 1203, 88, 47], { neighbourColumns: CDR }),
  col('cdr', 'cell_id', [], ['23415-1021-44501', '23415-1021-44502', '23415-2044-10077'], {
    neighbourColumns: CDR,
  }),
  col(
    'cdr',
    'start_time',
    [],
    ['2024-05-01 08:15:22', '2024-05-01 08:17:05', '2024-05-01 09:01:40'],
    { neighbourColumns: CDR },
  ),

  // Airline
  col(
    'pnr_passengers',
    'pax_last_name',
    ['PII.PERSON_NAME'],
    ['SMITH', 'GARCIA', 'MUELLER', 'ROSSI', 'KIM', 'OCONNELL'],
    { neighbourColumns: PNR },
  ),
  col('pnr_passengers', 'record_locator', [], ['X7K2PQ', 'M3ZT9L', 'QQ4R8N', 'B2H7WJ', 'T9P3XK'], {
    neighbourColumns: PNR,
  }),
  col('pnr_passengers', 'seat', [], ['12A', '3C', '27F', '14D', '1A'], { neighbourColumns: PNR }),
  col(
    'pnr_passengers',
    'dob',
    ['PII.DATE_OF_BIRTH'],
    ['12MAR1985', '03JUL1990', '25DEC1962', '09FEB2001'],
    { neighbourColumns: PNR },
  ),
  col(
    'pnr_passengers',
    'passport_no',
    ['GOV.NATIONAL_ID'],
    ['532847193', 'C01X00T47', 'YA1234567', 'AB9876543', '561234987'],
    { neighbourColumns: PNR, acceptable: ['GOV.US_PASSPORT'] },
  ),
  col('pnr_passengers', 'fare_class', [], ['Y', 'J', 'M', 'Y', 'B'], { neighbourColumns: PNR }),

  // Insurance
  col(
    'auto_policies',
    'holder_name',
    ['PII.PERSON_NAME'],
    ['Gregory House', 'Lisa Cuddy', 'James Wilson', 'Allison Cameron'],
    { neighbourColumns: POLICY },
  ),
  col(
    'auto_policies',
    'vehicle_vin',
    ['PII.VEHICLE_ID'],
    ['1HGCM82633A004352', '1M8GDM9AXKP042788', 'HKSD5ZLZ8LTUP1ZPW', 'R6GZ7DRG7ZURJM7GV'],
    { neighbourColumns: POLICY },
  ),
  col('auto_policies', 'premium', [], ['1240.00', '980.50', '2210.75', '1530.00'], {
    neighbourColumns: POLICY,
  }),
  col(
    'auto_policies',
    'policy_no',
    [],
    ['AUT-2024-00017', 'AUT-2024-00018', 'AUT-2023-09911', 'AUT-2024-01200'],
    { neighbourColumns: POLICY },
  ),
  col(
    'auto_policies',
    'holder_dob',
    ['PII.DATE_OF_BIRTH'],
    ['1959-06-11', '1968-02-04', '1970-10-21', '1981-12-30'],
    { neighbourColumns: POLICY },
  ),

  // Core banking
  col(
    'core_accounts',
    'acct_num',
    ['FIN.US_BANK_ACCOUNT'],
    ['0001234567', '7700112233', '5012349876', '0009988776'],
    { neighbourColumns: CORE },
  ),
  col(
    'core_accounts',
    'aba_rtn',
    ['FIN.US_ROUTING_NUMBER'],
    ['630779882', '118093132', '075896443', '116837125'],
    { neighbourColumns: CORE },
  ),
  col(
    'core_accounts',
    'iban',
    ['FIN.IBAN'],
    [
      'NL19IOPV2087724151',
      'AT165134581577288936',
      'FR5691866892601154464777896',
      'BE13062620223323',
    ],
    { neighbourColumns: CORE },
  ),
  col('core_accounts', 'ledger_balance', [], ['10234.55', '-120.00', '0.00', '998123.10'], {
    neighbourColumns: CORE,
  }),
  col('core_accounts', 'cust_no', [], ['C000123', 'C000124', 'C004410', 'C010002'], {
    neighbourColumns: CORE,
  }),
  col(
    'card_vault',
    'pan',
    ['FIN.CREDIT_CARD_NUMBER'],
    ['6011980618812108', '5526316741938694', '3529054322810246', '4692224168407337'],
    { neighbourColumns: ['token', 'exp_mmyy', 'created_at'] },
  ),
  col('card_vault', 'exp_mmyy', ['FIN.CARD_EXPIRY'], ['08/27', '01/26', '12/29', '05/28'], {
    neighbourColumns: ['pan', 'token'],
  }),
  col(
    'card_vault',
    'token',
    [],
    ['tok_1N3fXq2eZvKYlo2C', 'tok_1N3fXr2eZvKYlo2D', 'tok_1N3fXs2eZvKYlo2E'],
    { neighbourColumns: ['pan', 'exp_mmyy'] },
  ),
  col(
    'wire_transfers',
    'beneficiary_swift',
    ['FIN.SWIFT_BIC'],
    ['BOFAUS3N', 'HSBCHKHH', 'DEUTDEDB', 'BARCGB22', 'SOGEFRPP'],
    { neighbourColumns: ['wire_id', 'beneficiary_iban', 'amount'] },
  ),
  col(
    'wire_transfers',
    'reference',
    [],
    ['INV 2024-0117', 'Rent May', 'Payroll 05/24', 'Consulting fee'],
    { neighbourColumns: ['wire_id', 'amount'] },
  ),

  // Moodle / education
  col(
    'mdl_user',
    'username',
    ['PII.USERNAME'],
    ['s1234567', 'jbloggs', 'teacher01', 'mwong', 'guest'],
    { neighbourColumns: MOODLE },
  ),
  col('mdl_user', 'idnumber', [], ['S1234567', 'S7654321', 'T0001', 'S1111111'], {
    neighbourColumns: MOODLE,
  }),
  col(
    'mdl_user',
    'lastip',
    ['PII.IP_ADDRESS'],
    ['131.111.8.46', '10.12.0.7', '82.13.200.114', '0:0:0:0:0:0:0:1'],
    { neighbourColumns: MOODLE },
  ),
  col('mdl_user', 'lang', [], ['en', 'fr', 'de', 'en', 'es'], { neighbourColumns: MOODLE }),
  col('mdl_grade_grades', 'finalgrade', [], ['78.50000', '91.00000', '64.25000', '88.00000'], {
    neighbourColumns: ['itemid', 'userid', 'timemodified'],
  }),
  col('mdl_grade_grades', 'timemodified', [], [1714553200, 1714639600, 1714726000, 1714812400], {
    neighbourColumns: ['itemid', 'userid'],
  }),

  // Ad-tech
  col(
    'bid_events',
    'device_id',
    [],
    [
      '38400000-8cf0-11bd-b23e-10b96e40000d',
      '6d92078a-8246-4ba4-ae5b-76104861e7dc',
      'cdda802e-fb9c-47ad-9866-0794d394c912',
    ],
    { neighbourColumns: ADS },
  ),
  col(
    'bid_events',
    'ip',
    ['PII.IP_ADDRESS'],
    ['24.48.0.1', '91.198.174.192', '2a02:c7f:7e1d:2a00::1', '73.223.12.9'],
    { neighbourColumns: ADS },
  ),
  col(
    'bid_events',
    'geo_lat',
    ['PII.GEO_COORDINATES'],
    [37.7749, 52.52, 45.4642, -23.5505, 19.4326],
    { neighbourColumns: ADS },
  ),
  col('bid_events', 'bid_price', [], [0.42, 1.05, 0.18, 2.3, 0.77], { neighbourColumns: ADS }),
  col('bid_events', 'campaign_id', [], ['cmp_8812', 'cmp_8813', 'cmp_9001', 'cmp_7730'], {
    neighbourColumns: ADS,
  }),

  // Misc. secrets and identifiers
  col(
    'deploy_config',
    'db_password',
    ['SECRET.PASSWORD'],
    ['s3cr3t!', 'Tr0ub4dor&3', 'postgres', 'changeme123'],
    { neighbourColumns: ['env', 'db_host', 'db_user'] },
  ),
  col(
    'deploy_config',
    'db_host',
    [],
    ['db.prod.internal', 'localhost', '10.20.0.15', 'pg-replica-2.internal'],
    { neighbourColumns: ['env', 'db_password'], acceptable: ['PII.IP_ADDRESS'] },
  ),
  col(
    'webhooks',
    'signing_secret',
    ['SECRET.API_TOKEN'],
    ['whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'whsec_9aB8cD7eF6gH5iJ4kL3mN2oP1qR0sT9u'],
    { neighbourColumns: ['endpoint_url', 'events'] },
  ),
  col(
    'kyc_documents',
    'aadhaar_number',
    ['GOV.IN_AADHAAR'],
    ['7312 9739 1538', '3460 2514 5317', '2384 7847 5464', '8462 7967 6070'],
    {
      neighbourColumns: ['customer_id', 'doc_type', 'verified_at'],
      acceptable: ['GOV.NATIONAL_ID'],
    },
  ),
  col('kyc_documents', 'doc_type', [], ['aadhaar', 'pan', 'passport', 'voter_id'], {
    neighbourColumns: ['customer_id', 'aadhaar_number'],
  }),
  col('uk_payroll', 'nino', ['GOV.UK_NINO'], ['HA173376B', 'XH129134B', 'RZ045789A', 'WK100683A'], {
    neighbourColumns: ['employee_id', 'tax_code', 'gross'],
    acceptable: ['GOV.NATIONAL_ID'],
  }),
  col('uk_payroll', 'tax_code', [], ['1257L', 'BR', 'K475', '1257L', 'D0'], {
    neighbourColumns: ['employee_id', 'nino'],
  }),
  col(
    'ca_payroll',
    'social_insurance_no',
    ['GOV.CA_SIN'],
    ['407 721 349', '988 092 193', '686 592 825', '476 676 374'],
    { neighbourColumns: ['employee_id', 'province'], acceptable: ['GOV.NATIONAL_ID'] },
  ),
  col('es_socios', 'nif', ['GOV.ES_NIF'], ['44518798K', '98065903K', 'Z3903492Y', '73889159A'], {
    neighbourColumns: ['nombre', 'cuota'],
    acceptable: ['GOV.NATIONAL_ID'],
  }),
  col(
    'donations',
    'btc_addr',
    ['FIN.CRYPTO_WALLET'],
    [
      '1DYHAhNHhPmBoFp6ULwuKptZLEL8wYTs4u',
      '1EhYoDZrHPXqb9FbQpfVuswTf61GEKSixg',
      '12eiUwpCqM1oTfZqP9UT262hU2KRtvpaSJ',
    ],
    { neighbourColumns: ['donor_id', 'amount_btc'] },
  ),
  col(
    'events',
    'payload_hash',
    [],
    [
      '5d41402abc4b2a76b9719d911017c592',
      '7d793037a0760186574b0282f2f435e7',
      '9e107d9d372bb6826bd81d3542a419d6',
    ],
    { neighbourColumns: ['event_id', 'created_at'] },
  ),
];
