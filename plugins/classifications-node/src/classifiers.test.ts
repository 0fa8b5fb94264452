import { describe, expect, it } from 'vitest';
import { BUILTIN_CLASSIFIERS } from './classifiers/index.js';
import { ClassificationEngine } from './engine.js';
import { shapeOf } from './text.js';
import type { ColumnInfo } from './types.js';

const engine = new ClassificationEngine();

type Col = string | (Partial<ColumnInfo> & { name: string });

function ids(col: Col, values: unknown[]): string[] {
  const info: ColumnInfo =
    typeof col === 'string' ? { name: col, tableName: 't' } : { tableName: 't', ...col };
  return engine.classifyColumn(info, values).map(l => l.classifierId);
}

interface Case {
  id: string;
  positives: Array<[Col, unknown[]]>;
  /** Columns that must not receive this label (they may receive another one). */
  nearMisses: Array<[Col, unknown[]]>;
}

const CARDS = [
  '4111 1111 1111 1111',
  '5555-5555-5555-4444',
  '378282246310005',
  '6011111111111117',
  '4012888888881881',
  '3530111333300000',
];
const NOT_LUHN = [
  '4111111111111112',
  '5555555555554445',
  '4012888888881882',
  '6011111111111118',
  '3530111333300001',
  '4000123412341234',
];
const NHS = ['763 745 0589', '430 308 0357', '439 740 7916', '646 712 3700', '608 497 4775'];
const PAYMENT_CONTEXT = {
  neighbourColumns: ['card_number', 'exp_month', 'exp_year', 'cardholder_name'],
  tableName: 'payment_cards',
};

const CASES: Case[] = [
  {
    id: 'PII.EMAIL_ADDRESS',
    positives: [
      ['email', ['jane.doe@example.com', 'bob@example.org', 'x.y+z@mail.co.uk', null, '']],
      ['col_7', ['ana@example.pt', 'li.wei@example.cn', 'o.k@example.com', 'sam@example.io']],
    ],
    nearMisses: [
      ['twitter', ['@jdoe', '@mary_k', '@bob', '@alice']],
      [
        'notes',
        [
          'Emailed jane.doe@example.com about the refund yesterday',
          'Customer asked us to call back next week please',
          'Left a voicemail for the account owner today',
        ],
      ],
    ],
  },
  {
    id: 'PII.PHONE_NUMBER',
    positives: [
      ['phone', ['(415) 555-0132', '415-555-0199', '+1 415 555 0100', '415.555.0177']],
      ['mobile', ['+447700900123', '+33612345678', '+4915112345678', '+14155550123']],
      ['contact', ['020 7946 0958', '01 42 68 53 00', '+44 20 7946 0018', '06 12 34 56 78']],
    ],
    nearMisses: [
      ['zip', ['94105', '10001', '60601', '02134', '73301']],
      ['created', [1700000000, 1700003600, 1700007200, 1700010800, 1700014400]],
      ['order_date', ['2023-01-15', '2023-02-20', '2023-03-05', '2023-04-30']],
      ['ip', ['10.0.0.1', '192.168.1.20', '172.16.5.4']],
      ['phone_ext', ['204', '3301', '17', '4410']],
      [
        'tracking_number',
        ['2888930202', '8343398163', '1241086543', '0451389692', '9239321646', '5551239876'],
      ],
    ],
  },
  {
    id: 'PII.PERSON_NAME',
    positives: [
      ['full_name', ['John Smith', 'Mary Johnson', 'Pierre Dubois', 'Aisha Khan', 'Liam O’Brien']],
      ['first_name', ['Olivia', 'Noah', 'Chloé', 'Mateo', 'Priya', 'Kwame']],
      [
        { name: 'name', tableName: 'customers' },
        ['Emma Wilson', 'Raj Patel', 'Sofia Rossi', 'Hannah Schmidt', 'Ana Silva'],
      ],
      ['field_5', ['DOE^JOHN^A', 'SMITH^MARY', 'GARCIA^LUIS', 'NGUYEN^ANH']],
    ],
    nearMisses: [
      ['product_name', ['Classic Backpack', 'Smart Desk Lamp', 'Eco Water Bottle', 'Pro Yoga Mat']],
      ['color', ['black', 'white', 'green', 'brown', 'grey', 'red']],
      [
        { name: 'name', tableName: 'vendors' },
        ['Acme Corp', 'Globex Inc', 'Initech LLC', 'Umbrella Holdings'],
      ],
      [
        'comment',
        [
          'Customer called about the delivery delay and asked for a refund',
          'Package arrived damaged, please follow up next week',
          'Great service would buy again',
        ],
      ],
    ],
  },
  {
    id: 'PII.STREET_ADDRESS',
    positives: [
      [
        'address_line1',
        ['221B Baker Street', '1600 Pennsylvania Ave NW', '742 Evergreen Terrace', '10 Downing St'],
      ],
      ['strasse', ['Hauptstraße 5', 'Unter den Linden 77', 'Bahnhofstr. 12', 'Karl-Marx-Allee 90']],
      [
        'shipping',
        [
          '55 Water St, Brooklyn, NY 11201',
          '9 Rue de Rivoli, 75004 Paris',
          'Via Roma 12, 00184 Roma',
          '500 Boylston St Apt 12, Boston, MA',
        ],
      ],
    ],
    nearMisses: [
      ['email_address', ['a@example.com', 'b@example.com', 'c@example.org']],
      ['ip_address', ['10.0.0.1', '10.0.0.2', '10.0.0.3']],
      [
        'description',
        [
          'Walk along the main street and turn left at the park',
          'The avenue was closed for the parade this weekend',
          'Our office moved to a bigger building in the city',
        ],
      ],
    ],
  },
  {
    id: 'PII.CITY',
    positives: [
      ['city', ['Paris', 'Lisbon', 'Chicago', 'Toronto', 'Osaka', 'Tuscaloosa']],
      ['birthplace', ['Madrid', 'Berlin', 'Mumbai', 'Lagos', 'Seattle', 'Melbourne']],
    ],
    nearMisses: [
      ['timezone', ['Europe/Paris', 'America/Chicago', 'Asia/Tokyo', 'Europe/Lisbon']],
      [
        'product_name',
        ['Lisbon Duffel Bag', 'Austin Leather Belt', 'Paris Print Scarf', 'Tokyo Tea Set'],
      ],
    ],
  },
  {
    id: 'PII.STATE_PROVINCE',
    positives: [
      ['state', ['CA', 'NY', 'TX', 'WA', 'IL', 'ON']],
      ['province', ['Ontario', 'Quebec', 'British Columbia', 'Alberta', 'Nova Scotia']],
    ],
    nearMisses: [
      ['order_state', ['pending', 'shipped', 'delivered', 'cancelled']],
      ['state', ['active', 'inactive', 'suspended', 'active']],
    ],
  },
  {
    id: 'PII.POSTAL_CODE',
    positives: [
      ['zip', ['94105', '10001', '60601', '02134', '73301']],
      ['postcode', ['SW1A 1AA', 'EC1A 1BB', 'M1 1AE', 'B33 8TH']],
      ['postal_code', ['K1A 0B1', 'M5V 3L9', 'H2Y 1C6', 'V6B 4Y8']],
      ['zip_plus4', ['94105-1234', '10001-0001', '60601-4321', '02134-9999']],
    ],
    nearMisses: [
      ['code', ['94105', '10001', '60601', '02134', '73301']],
      ['quantity', [12, 400, 53, 7, 1000, 88]],
    ],
  },
  {
    id: 'PII.COUNTRY',
    positives: [
      ['country', ['Portugal', 'France', 'Germany', 'Japan', 'Brazil']],
      ['country_code', ['PT', 'FR', 'DE', 'JP', 'BR', 'US']],
      ['nationality', ['British', 'French', 'Indian', 'Nigerian', 'Brazilian']],
    ],
    nearMisses: [['currency', ['USD', 'EUR', 'GBP', 'JPY', 'CHF']]],
  },
  {
    id: 'PII.DATE_OF_BIRTH',
    positives: [
      ['dob', ['1984-03-12', '1990-11-02', '1975-06-30', '2001-01-15']],
      [
        'birth_date',
        [
          new Date(Date.UTC(1980, 0, 1)),
          new Date(Date.UTC(1965, 6, 15)),
          new Date(Date.UTC(1992, 10, 30)),
        ],
      ],
      ['date_of_birth', ['03/14/1985', '11/02/1974', '07/30/1996', '01/09/1958']],
    ],
    nearMisses: [
      ['created_at', ['2023-01-01T12:30:00Z', '2023-01-02T08:15:00Z', '2023-01-03T17:45:00Z']],
      ['order_date', ['2023-01-15', '2023-02-20', '2023-03-05', '2023-04-30']],
    ],
  },
  {
    id: 'PII.GENDER',
    positives: [
      ['gender', ['M', 'F', 'F', 'M']],
      ['sex', ['Male', 'Female', 'Female']],
      ['segment', ['Male', 'Female', 'Non-binary', 'Female', 'Male']],
    ],
    nearMisses: [
      ['size', ['S', 'M', 'L', 'XL', 'M']],
      ['flag', ['Y', 'N', 'N', 'Y']],
      ['code', ['M', 'F', 'M']],
    ],
  },
  {
    id: 'PII.AGE',
    positives: [
      ['age', [34, 27, 61, 45, 19, 72]],
      ['patient_age', ['34', '2', '88', '45']],
    ],
    nearMisses: [
      ['page', [1, 2, 3, 14, 27]],
      ['quantity', [34, 27, 61, 45, 19, 72]],
      ['age', ['2023-01-01', '2023-02-01', '2023-03-01']],
    ],
  },
  {
    id: 'PII.USERNAME',
    positives: [['username', ['jdoe', 'mary.k', 'bob_smith', 'alice42', 'webmaster']]],
    nearMisses: [['sku', ['ABC-12345', 'XYZ-00012', 'QRS-77777', 'DEF-12001']]],
  },
  {
    id: 'PII.IP_ADDRESS',
    positives: [
      ['ip_address', ['192.168.1.10', '10.0.0.5', '172.16.4.2', '203.0.113.7']],
      [
        'peer',
        [
          '2001:db8::1',
          '2001:db8:85a3::8a2e:370:7334',
          'fe80::1ff:fe23:4567:890a',
          '::ffff:192.0.2.128',
        ],
      ],
    ],
    nearMisses: [
      ['version', ['1.2.3.4', '2.0.1.0', '1.0.0.12', '3.1.4.15']],
      ['os_build', ['10.0.19045', '10.0.22631', '6.1.7601']],
    ],
  },
  {
    id: 'PII.MAC_ADDRESS',
    positives: [
      ['mac', ['00:1A:2B:3C:4D:5E', 'ac:de:48:00:11:22', '3C-22-FB-7A-1B-90']],
      ['hw', ['001a.2b3c.4d5e', '00aa.bbcc.ddee', '1234.5678.9abc']],
    ],
    nearMisses: [
      [
        'request_id',
        [
          '550e8400-e29b-41d4-a716-446655440000',
          '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
          '6ba7b811-9dad-11d1-80b4-00c04fd430c8',
        ],
      ],
    ],
  },
  {
    id: 'PII.GEO_COORDINATES',
    positives: [
      ['latitude', [40.712776, 34.052235, 51.507351, 48.856613]],
      ['location', ['38.7223,-9.1393', '40.4168,-3.7038', '41.1579,-8.6291']],
      ['pickup', ['POINT(-73.9857 40.7484)', 'POINT(-73.9680 40.7851)', 'POINT(-74.0445 40.6892)']],
    ],
    nearMisses: [
      ['price', ['19.99', '5.49', '120.00', '3.75']],
      ['temperature', [21.4, 19.8, -3.2, 30.1]],
    ],
  },
  {
    id: 'PII.VEHICLE_ID',
    positives: [
      ['vin', ['1HGCM82633A004352', '1M8GDM9AXKP042788', 'JH4KA7561PC008269']],
      ['chassis', ['1HGCM82633A004352', '1M8GDM9AXKP042788', 'JH4KA7561PC008269']],
    ],
    nearMisses: [['serial', ['1HGCM82633A004353', '1M8GDM9A1KP042788', 'JH4KA7561PC008260']]],
  },
  {
    id: 'GOV.US_SSN',
    positives: [
      ['ssn', ['536-22-1475', '219-45-1122', '401-77-9912']],
      ['ssn', ['536221475', '219451122', '401779912']],
      ['col_3', ['536-22-1475', '219-45-1122', '401-77-9912', '478-21-9034']],
    ],
    nearMisses: [
      ['zip', ['12345-6789', '94105-1234', '10001-0001']],
      ['phone', ['415-555-0123', '212-555-0188', '312-555-0101']],
      ['invoice_no', ['536221475', '219451122', '401779912', '104558213']],
      ['ssn', ['000-12-3456', '666-12-3456', '900-12-3456']],
    ],
  },
  {
    id: 'GOV.US_ITIN',
    positives: [['itin', ['969-65-0448', '954-78-8057', '921-83-4751', '950-88-1471']]],
    nearMisses: [['itin', ['969-45-0448', '954-93-8057', '921-00-4751']]],
  },
  {
    id: 'GOV.US_PASSPORT',
    positives: [['passport_number', ['912803456', '340020013', 'A12345678', '556677889']]],
    nearMisses: [['order_number', ['912803456', '340020013', '123456780', '556677889']]],
  },
  {
    id: 'GOV.US_DRIVER_LICENSE',
    positives: [['drivers_license', ['D1234567', 'S530-4603-1234', '123456789', 'A12-345-678']]],
    nearMisses: [['license_key', ['ABCD-EFGH-IJKL', 'WXYZ-QRST-UVWX', 'MNOP-ABCD-EFGH']]],
  },
  {
    id: 'GOV.UK_NINO',
    positives: [
      ['ni_number', ['QQ 12 34 56 C', 'AB123456C', 'TE761814C', 'SE522241B']],
      ['ref', ['TJ962162A', 'EB295372D', 'WL848886D', 'JG054586C']],
    ],
    nearMisses: [['ref', ['AB123456', 'CD987654', 'EF111222']]],
  },
  {
    id: 'GOV.UK_NHS_NUMBER',
    positives: [
      ['nhs_number', NHS],
      ['patient_identifier', NHS],
    ],
    nearMisses: [['nhs_number', ['763 745 0588', '430 308 0358', '439 740 7917', '646 712 3701']]],
  },
  {
    id: 'GOV.CA_SIN',
    positives: [['sin', ['130 692 544', '245 727 979', '311 409 353', '111-007-647']]],
    nearMisses: [['sin', ['130 692 545', '245 727 970', '311 409 354']]],
  },
  {
    id: 'GOV.FR_INSEE',
    positives: [['nir', ['280113619638178', '1 46 11 73 336 917 36', '275101731310808']]],
    nearMisses: [['nir', ['280113619638179', '146117333691737', '275101731310809']]],
  },
  {
    id: 'GOV.DE_TAX_ID',
    positives: [['steuer_id', ['37956084324', '91752843038', '73862547092', '65929970489']]],
    nearMisses: [['customer_no', ['37956084325', '12345678901', '73862547093', '10000000001']]],
  },
  {
    id: 'GOV.ES_NIF',
    positives: [['dni', ['12345678Z', '86272588W', 'X1234567L', '17993646X']]],
    nearMisses: [['dni', ['12345678A', '86272588B', '17993646C']]],
  },
  {
    id: 'GOV.IT_FISCAL_CODE',
    positives: [['codice_fiscale', ['RSSMRA85T10A562S', 'WBAIFG79R53F800S', 'UXQXNC49H71M865A']]],
    nearMisses: [['codice_fiscale', ['RSSMRA85T10A562T', 'WBAIFG79R53F800A', 'UXQXNC49H71M865B']]],
  },
  {
    id: 'GOV.IN_AADHAAR',
    positives: [['aadhaar', ['7269 6965 4059', '7195 2507 1296', '6724 9378 6719']]],
    nearMisses: [['aadhaar', ['7269 6965 4058', '7195 2507 1297', '6724 9378 6710']]],
  },
  {
    id: 'GOV.NATIONAL_ID',
    positives: [
      ['national_id', ['AB1234567', 'CD7654321', 'EF1122334', 'GH9988776']],
      ['cpf', ['873.244.372-22', '637.151.674-40', '312.770.610-33', '263.543.345-36']],
    ],
    nearMisses: [
      ['national_id', ['536-22-1475', '219-45-1122', '401-77-9912', '478-21-9034']], // specific SSN wins
      [
        'id',
        [
          '550e8400-e29b-41d4-a716-446655440000',
          '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
          '7c9e6679-7425-40de-944b-e07fc1f90ae7',
        ],
      ],
    ],
  },
  {
    id: 'FIN.CREDIT_CARD_NUMBER',
    positives: [
      ['card_number', CARDS],
      ['data', CARDS.map(c => c.replace(/\D/g, ''))],
    ],
    nearMisses: [
      ['card_number', NOT_LUHN],
      ['isbn', ['9780306406157', '9781492052203', '9780262033848', '9781402894626']],
      [
        'order_number',
        ['4929302716254893', '5312009458812377', '4000012345678902', '6011223344556678'],
      ],
      ['card_last4', ['4242', '1881', '0005', '5556']],
      ['card_number', ['************4242', '************1881', '***********0005']],
    ],
  },
  {
    id: 'FIN.CARD_EXPIRY',
    positives: [
      ['exp_date', ['04/27', '11/29', '01/26', '12/28']],
      ['card_expiry', ['04/2027', '11/2029', '01/2026']],
    ],
    nearMisses: [
      ['expiry_date', ['2025-03-31', '2026-01-15', '2027-07-01']],
      ['score', ['10/20', '12/25', '07/30', '09/28']],
    ],
  },
  {
    id: 'FIN.CARD_CVV',
    positives: [
      ['cvv', ['123', '884', '017', '562']],
      [{ name: 'code', ...PAYMENT_CONTEXT }, ['123', '884', '017', '562', '309']],
    ],
    nearMisses: [
      // The academic-year code "2324" (2023/24) is not a card security code.
      [
        { name: 'code', tableName: 'enrollments', neighbourColumns: ['student_id', 'course_id'] },
        ['2324', '2425', '2223', '2324', '2122'],
      ],
      ['acad_year_code', ['2324', '2425', '2223', '2526']],
      [
        { name: 'code', tableName: 'enrollments', neighbourColumns: ['card_number'] },
        ['2324', '2425', '2223', '2526', '1920'],
      ],
      ['branch_code', ['104', '221', '317', '450', '512']],
      ['cvc_check', ['pass', 'fail', 'unchecked', 'pass']],
    ],
  },
  {
    id: 'FIN.IBAN',
    positives: [
      [
        'iban',
        ['GB82 WEST 1234 5698 7654 32', 'DE89370400440532013000', 'FR1420041010050500013M02606'],
      ],
      ['account', ['ES9121000418450200051332', 'NL91ABNA0417164300', 'BE68539007547034']],
    ],
    nearMisses: [
      ['iban', ['GB82WEST12345698765433', 'DE89370400440532013001', 'NL91ABNA0417164301']],
    ],
  },
  {
    id: 'FIN.SWIFT_BIC',
    positives: [['bic', ['NWBKGB2L', 'DEUTDEFF', 'BNPAFRPPXXX', 'CAIXESBB']]],
    nearMisses: [
      ['status', ['CUSTOMER', 'SHIPPING', 'COMPLETE', 'PENDING']],
      ['coupon_code', ['FREESHIP', 'SUMMER21', 'WELCOME10', 'BLACKFRI']],
    ],
  },
  {
    id: 'FIN.US_BANK_ACCOUNT',
    positives: [['bank_account_number', ['000123456789', '4820019376', '9876543210', '12345678']]],
    nearMisses: [
      ['account_id', ['000123456789', '4820019376', '9876543210', '12345678']],
      ['account_number', CARDS],
      ['account_number', ['1000', '1200', '2100', '4000']],
    ],
  },
  {
    id: 'FIN.US_ROUTING_NUMBER',
    positives: [
      ['routing_number', ['021000021', '011000015', '026009593', '121000358']],
      ['bank_code', ['021000021', '011000015', '026009593', '121000358', '322271627']],
    ],
    nearMisses: [['routing_number', ['021000022', '011000016', '026009594', '121000359']]],
  },
  {
    id: 'FIN.CRYPTO_WALLET',
    positives: [
      [
        'wallet',
        [
          '1BoatSLRHtKNngkdXEeobR76b53LETtpyT',
          'bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq',
          '0x52908400098527886E0F7030069857D2E4169EE7',
        ],
      ],
    ],
    nearMisses: [
      [
        'tx_hash',
        [
          '0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060',
          '0x88df016429689c079f3b2f6ad39fa052532c56795b733da78a91ebe6a713944b',
        ],
      ],
      [
        'commit',
        ['a94a8fe5ccb19ba61c4c0873d391e987982fbbd3', 'de9f2c7fd25e1b3afad3e85a0bd17d9b100db4b3'],
      ],
    ],
  },
  {
    id: 'FIN.SALARY',
    positives: [
      ['salary', [85000, 92500.5, 61000, 123000]],
      ['hourly_rate', ['$23.50', '$18.00', '$31.25']],
    ],
    nearMisses: [
      ['price', ['19.99', '5.49', '120.00', '3.75']],
      ['salary_grade', ['B3', 'C1', 'A2', 'B1']],
    ],
  },
  {
    id: 'PHI.MEDICAL_RECORD_NUMBER',
    positives: [['mrn', ['MRN0048213', 'MRN0051790', 'MRN1003346', 'MRN0009881']]],
    nearMisses: [['order_no', ['MRN0048213', 'MRN0051790', 'MRN1003346']]],
  },
  {
    id: 'PHI.ICD10_CODE',
    positives: [
      ['diagnosis_code', ['E11.9', 'I10', 'J45.909', 'F32.9']],
      [{ name: 'code', tableName: 'claims' }, ['E11.9', 'J45.909', 'M17.11', 'I25.10']],
    ],
    nearMisses: [['seat', ['A12', 'B07', 'C33', 'D10']]],
  },
  {
    id: 'PHI.US_NPI',
    positives: [
      ['npi', ['1234567893', '2956563482', '1683311462', '1197082773']],
      ['prescriber', ['1234567893', '2956563482', '1683311462', '1197082773', '1668669009']],
    ],
    nearMisses: [['created', [1700000000, 1700003600, 1700007200, 1700010800]]],
  },
  {
    id: 'PHI.HEALTH_CONDITION',
    positives: [
      ['diagnosis', ['Type 2 diabetes', 'Hypertension', 'Asthma', 'Migraine']],
      [
        'history',
        ['Asthma', 'Hypertension', 'Type II Diabetes', 'Depression', 'Osteoarthritis of knee'],
      ],
    ],
    nearMisses: [
      ['department', ['Engineering', 'Sales', 'Marketing', 'Finance']],
      ['condition', ['new', 'used', 'refurbished', 'new']],
    ],
  },
  {
    id: 'SECRET.PASSWORD_HASH',
    positives: [
      [
        'password_hash',
        [
          '$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW',
          '$2b$12$Lk7Hd1Fg6Jp3Zx8Cv5Bn0Mm1OaD0l7Hx41BZqGHu6zWZ.j5sT8x0a',
        ],
      ],
      [
        'blob',
        [
          '$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG',
          '$argon2id$v=19$m=65536,t=3,p=4$b3RoZXJzYWx0$Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0',
        ],
      ],
      ['user_pass', ['$P$BZqGHu6zWZ.j5sT8x0F2lOaD0l7Hx41', '$P$B7HcnS9vGUw2dQ0cF5jvDg3eZ0Ytp0/']],
    ],
    nearMisses: [
      [
        'checksum',
        [
          '9e107d9d372bb6826bd81d3542a419d6',
          'e4d909c290d0fb1ca068ffaddf22cbd0',
          'd41d8cd98f00b204e9800998ecf8427e',
        ],
      ],
      [
        'password_changed_at',
        ['2024-01-03T10:15:22Z', '2024-02-11T08:01:45Z', '2023-12-30T19:44:05Z'],
      ],
    ],
  },
  {
    id: 'SECRET.PASSWORD',
    positives: [['password', ['letmein', 'Summer2019!', 'qwerty123', 'P@ssw0rd']]],
    nearMisses: [
      [
        'password',
        [
          '$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW',
          '$2b$12$Lk7Hd1Fg6Jp3Zx8Cv5Bn0Mm1OaD0l7Hx41BZqGHu6zWZ.j5sT8x0a',
        ],
      ],
      ['password_reset_sent_at', ['2024-01-03T10:15:22Z', '2024-02-11T08:01:45Z']],
      ['pass_rate', ['0.91', '0.85', '0.77']],
    ],
  },
  {
    id: 'SECRET.AWS_ACCESS_KEY',
    positives: [
      ['aws_access_key_id', ['AKIAIOSFODNN7EXAMPLE', 'AKIAI44QH8DHBEXAMPLE']],
      ['value', ['AKIAIOSFODNN7EXAMPLE', 'ASIAY34FZKBOKMUTVV7A']],
    ],
    nearMisses: [['key', ['AKIAIOSFODNN7EXAMPL', 'AKIA-44QH8DHBEXAMPLE']]],
  },
  {
    id: 'SECRET.PRIVATE_KEY',
    positives: [
      ['key_pem', ['-----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY-----']],
    ],
    nearMisses: [
      [
        'public_key',
        [
          'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 user@host',
          'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMq dev@laptop',
        ],
      ],
      ['cert', ['-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIE\n-----END CERTIFICATE-----']],
    ],
  },
  {
    id: 'SECRET.API_TOKEN',
    positives: [
      ['api_key', ['sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'sk_live_51HxQwL2eZvKYlo2C0ffbQ8Xb']],
      [
        'value',
        ['ghp_R8aXq2LmPz7KvT1nWc4YbE9uJ0sHd3Fg6Qk5', 'ghp_A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8'],
      ],
      [
        'client_secret',
        ['Xq8vR2mL9pT4wZ7nB3cK6yH1', 'aP5sD8fG2hJ6kL9zX4cV7bN0', 'Qw3Er6Ty9Ui2Op5As8Df1Gh4'],
      ],
    ],
    nearMisses: [
      [
        'request_id',
        [
          '550e8400-e29b-41d4-a716-446655440000',
          '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
          '7c9e6679-7425-40de-944b-e07fc1f90ae7',
        ],
      ],
      ['token_count', [512, 1024, 77, 4096]],
      ['api_key_name', ['Production', 'Staging', 'CI pipeline']],
    ],
  },
  {
    id: 'SECRET.JWT',
    positives: [
      [
        'id_token',
        [
          'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl',
          'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiI0NTYifQ.c2lnbmF0dXJm',
        ],
      ],
    ],
    nearMisses: [['payload', ['aGVsbG8gd29ybGQ=.Zm9v.YmFy', 'dGVzdA==.YQ.Yg']]],
  },
];

describe('built-in classifiers', () => {
  it('covers every built-in classifier with a test case', () => {
    expect(new Set(CASES.map(c => c.id))).toEqual(new Set(BUILTIN_CLASSIFIERS.map(c => c.id)));
  });

  for (const c of CASES) {
    describe(c.id, () => {
      c.positives.forEach(([col, values], i) => {
        it(`labels positive #${i + 1} (${typeof col === 'string' ? col : col.name})`, () => {
          expect(ids(col, values)).toContain(c.id);
        });
      });
      c.nearMisses.forEach(([col, values], i) => {
        it(`does not label near-miss #${i + 1} (${typeof col === 'string' ? col : col.name})`, () => {
          expect(ids(col, values)).not.toContain(c.id);
        });
      });
    });
  }

  it('recognises each classifier’s own synthetic examples value by value', () => {
    for (const c of BUILTIN_CLASSIFIERS) {
      if (!c.value) continue;
      for (const example of c.examples) {
        const shape = shapeOf(example);
        const inRange = shape.length >= c.value.minLength && shape.length <= c.value.maxLength;
        const strength = inRange ? c.value.test(shape) : 0;
        expect(strength, `${c.id} example ${example}`).toBeGreaterThan(0);
      }
    }
  });

  it('has complete metadata', () => {
    for (const c of BUILTIN_CLASSIFIERS) {
      expect(c.id).toMatch(/^(PII|GOV|FIN|PHI|SECRET)\.[A-Z0-9_]+$/);
      expect(c.name.length).toBeGreaterThan(0);
      expect(c.description.length).toBeGreaterThan(0);
      expect(c.categories.length).toBeGreaterThan(0);
      expect(c.threshold).toBeGreaterThan(0.5);
      expect(c.examples.length).toBeGreaterThan(0);
    }
  });
});

describe('typical non-sensitive columns', () => {
  const NEGATIVES: Array<[Col, unknown[]]> = [
    ['order_id', [100234, 100235, 100240, 100301, 100877, 101200]],
    ['order_number', ['ORD-2023-000123', 'ORD-2023-000124', 'ORD-2024-000001', 'ORD-2024-000777']],
    ['sku', ['WID-12345-BLK', 'WID-12346-WHT', 'GAD-00012-RED', 'GAD-00077-XL']],
    [
      'created_at',
      [
        '2023-01-01T12:30:00Z',
        '2023-01-02T08:15:00Z',
        '2023-01-03T17:45:00Z',
        '2023-02-11T09:00:00Z',
      ],
    ],
    ['ts', [1700000000123, 1700000004567, 1700000012345, 1700000100000]],
    ['version', ['1.2.3', '2.0.0-rc1', '10.4.1', '0.9.12']],
    [
      'uuid',
      [
        '550e8400-e29b-41d4-a716-446655440000',
        '6ba7b810-9dad-11d1-80b4-00c04fd430c8',
        '7c9e6679-7425-40de-944b-e07fc1f90ae7',
      ],
    ],
    ['status', ['active', 'inactive', 'pending', 'closed', 'active']],
    ['http_status', [200, 404, 500, 301, 200]],
    ['amount', ['19.99', '250.00', '3.50', '1200.75', '89.10']],
    [
      'comment',
      [
        'Customer called about the delivery delay and asked for a refund',
        'Package arrived damaged, please follow up next week',
        'Great service, would buy again!',
      ],
    ],
    [
      'product_name',
      ['Wireless Headphones', 'Coffee Maker Deluxe', 'Eco Water Bottle', 'Smart Desk Lamp'],
    ],
    ['isbn', ['978-0-306-40615-7', '9780262033848', '978-1-4028-9462-6', '0-306-40615-2']],
    ['ref', ['A1B2C3', 'Z9Y8X7', 'Q5W4E3', 'M1N2B3']],
    ['number', [12, 7, 3, 42, 19]],
    ['value', ['true', '30', 'dark', 'en-US', '5000']],
    ['code', ['A', 'B', 'C', 'D']],
    ['rating', [1, 2, 3, 4, 5, 3, 4]],
    ['upc', ['036000291452', '012345678905', '070470003023', '041220576463']],
    ['is_active', [true, false, true, true]],
  ];
  NEGATIVES.forEach(([col, values]) => {
    it(`leaves ${typeof col === 'string' ? col : col.name} unlabelled`, () => {
      expect(ids(col, values)).toEqual([]);
    });
  });
});
