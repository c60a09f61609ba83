/** One name per supported script (and Latin with stacked marks), as real rosters have them. */
export const NAMES_BY_SCRIPT: Record<string, string> = {
  latin: 'Zoë Müller-Sánchez', yoruba: 'Adébáyọ̀ Ọláolúwa', vietnamese: 'Nguyễn Thị Thủy', polish: 'Łukasz Wiśniewski',
  greek: 'Γιώργος Παπαδόπουλος', cyrillic: 'Дмитрий Иванов', arabic: 'محمد علي', persian: 'زهرا رضایی', hebrew: 'דוד כהן',
  devanagari: 'अर्जुन शर्मा', bengali: 'অর্জুন রায়', gurmukhi: 'ਹਰਪ੍ਰੀਤ ਸਿੰਘ', gujarati: 'ધ્રુવ પટેલ', tamil: 'அருண் குமார்',
  telugu: 'శ్రీనివాస్ రెడ్డి', kannada: 'ಪ್ರಜ್ವಲ್ ಗೌಡ', malayalam: 'അർജുൻ നായർ', thai: 'สมชาย ใจดี',
  chinese: '王小明', traditional: '陳嘉慧', japanese: '山田 さくら', korean: '김민준',
};
