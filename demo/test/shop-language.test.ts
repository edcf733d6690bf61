/**
 * The shop's first language choice (src/web.ts pickLanguage): the `shop_lang` cookie the
 * switcher writes, else the best `Accept-Language` entry the shop offers, else English.
 */
import { describe, expect, it } from 'vitest';
import { pickLanguage } from '../src/web.js';

describe('pickLanguage', () => {
  it('should take the highest-q Accept-Language entry the shop offers, in order among equals', () => {
    expect(pickLanguage(undefined, 'fr-FR,zh-CN;q=0.8,en;q=0.5')).toBe('zh-CN');
    expect(pickLanguage(undefined, 'en;q=0.4,ja;q=0.9')).toBe('ja');
    expect(pickLanguage(undefined, 'ko,th')).toBe('ko');
    expect(pickLanguage(undefined, 'en-GB')).toBe('en');
  });

  it('should map Chinese by region and script like the widget does', () => {
    expect(pickLanguage(undefined, 'zh-Hant-HK')).toBe('zh-HK');
    expect(pickLanguage(undefined, 'zh-MO')).toBe('zh-HK');
    expect(pickLanguage(undefined, 'zh-Hant')).toBe('zh-TW');
    expect(pickLanguage(undefined, 'zh-tw')).toBe('zh-TW');
    expect(pickLanguage(undefined, 'zh')).toBe('zh-CN');
    expect(pickLanguage(undefined, 'zh-Hans-SG')).toBe('zh-CN');
  });

  it('should fall back to English for nothing offered, q=0 and garbage', () => {
    expect(pickLanguage(undefined, undefined)).toBe('en');
    expect(pickLanguage(undefined, '')).toBe('en');
    expect(pickLanguage(undefined, 'fr, de;q=0.9')).toBe('en');
    expect(pickLanguage(undefined, 'zh-CN;q=0, fr')).toBe('en');
    expect(pickLanguage(undefined, ';;;,q=,"<script>"')).toBe('en');
    expect(pickLanguage(undefined, `${'x,'.repeat(5000)}ja`)).toBe('en'); // read no further than 512 characters
  });

  it('should prefer a valid shop_lang cookie and ignore an invalid one', () => {
    expect(pickLanguage('a=1; shop_lang=th; b=2', 'zh-CN')).toBe('th');
    expect(pickLanguage('shop_lang=zh-HK', undefined)).toBe('zh-HK');
    expect(pickLanguage('shop_lang=%22%3E%3Cscript%3E', 'ja')).toBe('ja');
    expect(pickLanguage('shop_lang=%E0%A4%A', 'ko')).toBe('ko');
    expect(pickLanguage('shop_lang=fr', undefined)).toBe('en');
  });
});
