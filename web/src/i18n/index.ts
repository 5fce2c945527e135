// Chinese by default, English on request; the choice persists in localStorage (vigil.lang).
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import zh from './zh';
import en from './en';
import deskZh from './desk.zh';
import deskEn from './desk.en';

export type Lang = 'zh' | 'en';
const STORAGE_KEY = 'vigil.lang';

function storedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof zh; desk: typeof deskZh };
  }
}

const initial = storedLang();
dayjs.locale(initial === 'zh' ? 'zh-cn' : 'en');
document.documentElement.lang = initial === 'zh' ? 'zh-CN' : 'en';

void i18n.use(initReactI18next).init({
  resources: { zh: { translation: zh, desk: deskZh }, en: { translation: en, desk: deskEn } },
  lng: initial,
  fallbackLng: 'zh',
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function setLang(lang: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    // storage disabled: the choice lasts for this page
  }
  dayjs.locale(lang === 'zh' ? 'zh-cn' : 'en');
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  void i18n.changeLanguage(lang);
}

export function currentLang(): Lang {
  return i18n.language === 'en' ? 'en' : 'zh';
}

export default i18n;
