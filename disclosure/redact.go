// Package disclosure is public disclosure (信息公开): typical appeals and
// their replies published on the portal with the requester removed and
// the personal data inside the free text redacted — phone numbers, ID
// numbers, plate numbers, e-mail addresses, the requester's own name,
// phone and address (from the ticket's protected fields), house numbers
// and name-like patterns (王先生, 我叫…, 联系人：…). Recall matters more
// than precision: a word masked too many is a smaller harm than a phone
// number published.
package disclosure

import (
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// Known is what the ticket itself says about its requester: removed
// wherever it appears, whatever the patterns find.
type Known struct {
	Names, Phones, Addresses []string
}

// Finding is a piece of personal data found: its kind and place (byte
// offsets in the original text).
type Finding struct {
	Kind       string
	Start, End int
}

// Kinds of findings.
const (
	KindPhone   = "phone"
	KindID      = "id_number"
	KindPlate   = "plate"
	KindEmail   = "email"
	KindName    = "name"
	KindAddress = "address"
)

var patterns = []struct {
	kind string
	re   *regexp.Regexp
	sub  int // the submatch to mask (0: all)
}{
	{KindEmail, regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`), 0},
	{KindID, regexp.MustCompile(`\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01])\d{3}[\dXx]|\d{15}`), 0},
	{KindPhone, regexp.MustCompile(`(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}`), 0},
	{KindPhone, regexp.MustCompile(`0\d{2,3}[- ]?\d{7,8}|\b\d{7,8}\b`), 0},
	{KindPlate, regexp.MustCompile(`[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-Z][·• ]?[A-Z0-9]{5,6}`), 0},
	// A house number: 3栋2单元501室, 5号楼1203, 12-3-401.
	{KindAddress, regexp.MustCompile(`\d+\s*(?:栋|幢|号楼|座)\s*(?:\d+\s*单元)?\s*\d*\s*(?:室|号|户)?|\d+\s*单元\s*\d+\s*(?:室|号)?|\d+-\d+-\d+|\d{3,4}\s*(?:室|房)`), 0},
	// Name-like: a surname with a title, or after 我叫/我是/姓名/联系人.
	{KindName, regexp.MustCompile(`([王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤][\p{Han}]?)(?:先生|女士|小姐|老师|师傅|阿姨|大爷|大妈|奶奶|爷爷|同志)`), 1},
	{KindName, regexp.MustCompile(`(?:我叫|我是|本人|姓名[:：]?|联系人[:：]?|来电人[:：]?|业主)\s*([\p{Han}]{2,3})`), 1},
}

// notNames are words the name patterns catch that are not names.
var notNames = map[string]bool{"市民": true, "业主": true, "居民": true, "群众": true, "租户": true, "家长": true, "村民": true, "小区": true,
	"一名": true, "一位": true, "本人": true, "来电": true}

// Redact returns the text with every finding replaced by as many
// asterisks as it has characters (the known data first, then the
// patterns), and the findings.
func Redact(text string, k Known) (string, []Finding) {
	var found []Finding
	mark := func(kind string, start, end int) {
		if end > start {
			found = append(found, Finding{kind, start, end})
		}
	}
	for _, set := range []struct {
		kind   string
		values []string
	}{{KindName, k.Names}, {KindPhone, k.Phones}, {KindAddress, k.Addresses}} {
		for _, v := range set.values {
			v = strings.TrimSpace(v)
			if utf8.RuneCountInString(v) < 2 {
				continue
			}
			for at := 0; ; {
				i := strings.Index(text[at:], v)
				if i < 0 {
					break
				}
				mark(set.kind, at+i, at+i+len(v))
				at += i + len(v)
			}
			if set.kind == KindName && utf8.RuneCountInString(v) >= 2 {
				// The surname with a title is the same person: 王五 → 王先生.
				surname := string([]rune(v)[:1])
				re := regexp.MustCompile(regexp.QuoteMeta(surname) + `(?:先生|女士|小姐|老师|师傅|阿姨|大爷|大妈|奶奶|爷爷|同志)`)
				for _, m := range re.FindAllStringIndex(text, -1) {
					mark(KindName, m[0], m[0]+len(surname))
				}
			}
		}
	}
	for _, p := range patterns {
		for _, m := range p.re.FindAllStringSubmatchIndex(text, -1) {
			s, e := m[0], m[1]
			if p.sub > 0 {
				s, e = m[2*p.sub], m[2*p.sub+1]
				if s < 0 || notNames[text[s:e]] {
					continue
				}
			}
			mark(p.kind, s, e)
		}
	}
	if len(found) == 0 {
		return text, nil
	}
	sort.Slice(found, func(i, j int) bool {
		return found[i].Start < found[j].Start || found[i].Start == found[j].Start && found[i].End > found[j].End
	})
	var b strings.Builder
	at := 0
	for _, f := range found {
		if f.End <= at {
			continue
		}
		start := max(f.Start, at)
		b.WriteString(text[at:start])
		b.WriteString(strings.Repeat("*", utf8.RuneCountInString(text[start:f.End])))
		at = f.End
	}
	b.WriteString(text[at:])
	return b.String(), found
}
