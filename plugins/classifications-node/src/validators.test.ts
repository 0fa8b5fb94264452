import { describe, expect, it } from 'vitest';
import {
  abaChecksum,
  base58Check,
  bech32Check,
  brCpfCheck,
  caSinCheck,
  cardNetwork,
  deTaxIdCheck,
  ean13,
  esNifCheck,
  frInseeCheck,
  isbn10,
  isValidIban,
  itFiscalCodeCheck,
  luhn,
  mod97,
  nhsMod11,
  npiCheck,
  ssnStructure,
  verhoeff,
  vinCheckDigit,
} from './validators.js';

describe('luhn', () => {
  it('accepts valid card numbers and rejects one-digit changes', () => {
    for (const n of [
      '4111111111111111',
      '5555555555554444',
      '378282246310005',
      '6011111111111117',
      '79927398713',
    ]) {
      expect(luhn(n)).toBe(true);
    }
    expect(luhn('4111111111111112')).toBe(false);
    expect(luhn('79927398710')).toBe(false);
    expect(luhn('4111-1111')).toBe(false);
    expect(luhn('0')).toBe(false);
  });
});

describe('mod97 / IBAN', () => {
  it('computes ISO 7064 remainders', () => {
    expect(mod97('3214282912345698765432161182')).toBe(1);
    expect(mod97('ABC')).toBe(mod97('101112'));
    expect(mod97('12-3')).toBe(-1);
  });
  it('validates IBANs with per-country length', () => {
    expect(isValidIban('GB82WEST12345698765432')).toBe(true);
    expect(isValidIban('DE89370400440532013000')).toBe(true);
    expect(isValidIban('FR1420041010050500013M02606')).toBe(true);
    expect(isValidIban('GB82WEST12345698765433')).toBe(false); // checksum
    expect(isValidIban('GB82WEST1234569876543')).toBe(false); // length
    expect(isValidIban('XX82WEST12345698765432')).toBe(false); // unknown country
  });
});

describe('verhoeff', () => {
  it('validates Aadhaar-style numbers', () => {
    expect(verhoeff('2363')).toBe(true);
    expect(verhoeff('2364')).toBe(false);
    expect(verhoeff('726969654059')).toBe(true);
    expect(verhoeff('726969654058')).toBe(false);
  });
});

describe('abaChecksum', () => {
  it('validates routing numbers including the Fed prefix', () => {
    for (const n of ['021000021', '011000015', '026009593', '121000358', '322271627'])
      expect(abaChecksum(n)).toBe(true);
    expect(abaChecksum('021000022')).toBe(false);
    expect(abaChecksum('991000021')).toBe(false); // prefix 99 unused
    expect(abaChecksum('02100002')).toBe(false);
  });
});

describe('national identifiers', () => {
  it('NHS mod 11', () => {
    expect(nhsMod11('9434765919')).toBe(true);
    expect(nhsMod11('9434765918')).toBe(false);
  });
  it('NPI (Luhn with 80840 prefix)', () => {
    expect(npiCheck('1234567893')).toBe(true);
    expect(npiCheck('1234567890')).toBe(false);
    expect(npiCheck('3234567893')).toBe(false);
  });
  it('Canadian SIN', () => {
    expect(caSinCheck('130692544')).toBe(true);
    expect(caSinCheck('130692545')).toBe(false);
    expect(caSinCheck('046454286')).toBe(false); // Luhn-valid, but 0 is never issued
  });
  it('US SSN structure', () => {
    expect(ssnStructure('536221475')).toBe(true);
    expect(ssnStructure('000221475')).toBe(false);
    expect(ssnStructure('666221475')).toBe(false);
    expect(ssnStructure('912701234')).toBe(false);
    expect(ssnStructure('536001475')).toBe(false);
    expect(ssnStructure('536220000')).toBe(false);
  });
  it('French NIR key, including Corsica', () => {
    expect(frInseeCheck('184127645108946')).toBe(true);
    expect(frInseeCheck('184127645108947')).toBe(false);
    const body = '2841220123456';
    const key = 97 - (Number(body.replace('2A', '19')) % 97);
    expect(frInseeCheck(body + String(key).padStart(2, '0'))).toBe(true);
    const corsica = '18412' + '2A' + '123456';
    const ckey = 97 - (Number(corsica.replace('2A', '19')) % 97);
    expect(frInseeCheck(corsica + String(ckey).padStart(2, '0'))).toBe(true);
  });
  it('German tax id', () => {
    expect(deTaxIdCheck('65929970489')).toBe(true);
    expect(deTaxIdCheck('65929970488')).toBe(false);
    expect(deTaxIdCheck('01234567890')).toBe(false);
    expect(deTaxIdCheck('12345678903')).toBe(false); // no repeated digit
  });
  it('Spanish DNI/NIE', () => {
    expect(esNifCheck('12345678Z')).toBe(true);
    expect(esNifCheck('12345678A')).toBe(false);
    expect(esNifCheck('X1234567L')).toBe(true);
  });
  it('Italian codice fiscale', () => {
    expect(itFiscalCodeCheck('RSSMRA85T10A562S')).toBe(true);
    expect(itFiscalCodeCheck('RSSMRA85T10A562T')).toBe(false);
  });
  it('VIN check digit', () => {
    expect(vinCheckDigit('1M8GDM9AXKP042788')).toBe(true);
    expect(vinCheckDigit('1HGCM82633A004352')).toBe(true);
    expect(vinCheckDigit('1M8GDM9A1KP042788')).toBe(false);
  });
  it('Brazilian CPF', () => {
    expect(brCpfCheck('52998224725')).toBe(true);
    expect(brCpfCheck('52998224726')).toBe(false);
    expect(brCpfCheck('11111111111')).toBe(false);
  });
});

describe('book numbers', () => {
  it('ISBN-10 and EAN-13', () => {
    expect(isbn10('0306406152')).toBe(true);
    expect(isbn10('0306406153')).toBe(false);
    expect(ean13('9780306406157')).toBe(true);
    expect(ean13('9780306406158')).toBe(false);
  });
});

describe('crypto addresses', () => {
  it('Base58Check', () => {
    expect(base58Check('1BoatSLRHtKNngkdXEeobR76b53LETtpyT')).toBe(true);
    expect(base58Check('1BoatSLRHtKNngkdXEeobR76b53LETtpyU')).toBe(false);
    expect(base58Check('0OIl')).toBe(false);
  });
  it('Bech32', () => {
    expect(bech32Check('bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq')).toBe(true);
    expect(bech32Check('bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr')).toBe(false);
  });
});

describe('cardNetwork', () => {
  it('recognises IIN ranges and lengths', () => {
    expect(cardNetwork('4111111111111111')).toBe('visa');
    expect(cardNetwork('5555555555554444')).toBe('mastercard');
    expect(cardNetwork('2221000000000009')).toBe('mastercard');
    expect(cardNetwork('378282246310005')).toBe('amex');
    expect(cardNetwork('6011111111111117')).toBe('discover');
    expect(cardNetwork('3530111333300000')).toBe('jcb');
    expect(cardNetwork('9780306406157000')).toBeUndefined();
    expect(cardNetwork('37828224631000')).toBeUndefined(); // amex needs 15 digits
  });
});
