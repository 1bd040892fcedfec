package report

// DefaultFont is where Debian puts the CJK TrueType font the reports use
// (fonts-arphic-gbsn00lp: AR PL SungtiL GB, a Song face with Latin and the GB 2312 hanzi, Arphic Public License); serve --report-font sets another.
const DefaultFont = "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"
