// Package zhsearch turns Chinese text into what the databases' own
// full-text engines index (SQLite FTS5, PostgreSQL tsvector with the
// simple configuration) and queries into their query languages.
//
// Text is normalised (full width to half width, lower case, one form of
// document-number brackets) and segmented by gse with its embedded
// dictionary plus an editable user dictionary. A document is indexed as its
// words in search mode (医疗保险 also gives 医疗 and 保险) plus every
// two-character run of Chinese, so that a two-character query (噪音, 社保)
// is found whatever the segmenter made of the text around it; ASCII words
// and numbers are tokens of their own, and a document number such as
// 萍府办发〔2025〕12号 also gives the token 2025年12号. Tokens contain only
// letters and digits, so both engines keep each one whole.
//
// A query is a list of groups; a document matches a group when it has one
// of the group's alternatives (the word, its synonyms, or all the
// two-character runs of a longer word). Groups are joined with OR and the
// engine's ranking (BM25 in FTS5, ts_rank in PostgreSQL) orders the hits.
package zhsearch

import (
	"regexp"
	"strings"
	"sync"
	"unicode"

	"github.com/go-ego/gse"
	"golang.org/x/text/width"
)

// Analyzer segments text for indexing and querying. It is safe for
// concurrent use; With returns a new one with more words or synonyms.
type Analyzer struct {
	dict     *Dictionary
	seg      *gse.Segmenter
	synonyms map[string][]string // word → its group, itself included
}

// Dictionary is gse's simplified-Chinese dictionary with the words an
// installation adds: about a second and 130 MB to load, so a process makes
// one (in main) and hands it to whatever segments text. It loads on first
// use. Analyzers made from one dictionary share its added words.
type Dictionary struct {
	once sync.Once
	mu   sync.RWMutex // read by cuts, written when words are added
	seg  *gse.Segmenter
	err  error
}

// NewDictionary returns a dictionary that loads when first used.
func NewDictionary() *Dictionary { return &Dictionary{} }

func (d *Dictionary) load() (*gse.Segmenter, error) {
	d.once.Do(func() {
		s, err := gse.NewEmbed("zh_s")
		if err != nil {
			d.err = err
			return
		}
		s.SkipLog = true
		d.seg = &s
	})
	return d.seg, d.err
}

// DefaultSynonyms are the groups every installation starts with: the
// words callers and documents use for the same thing.
var DefaultSynonyms = [][]string{
	{"暖气", "供暖", "采暖", "供热"},
	{"医保", "医疗保险"},
	{"社保", "社会保险"},
	{"公积金", "住房公积金"},
	{"养老金", "养老保险金", "退休金"},
	{"低保", "最低生活保障"},
	{"身份证", "居民身份证"},
	{"户口", "户籍"},
	{"噪音", "噪声"},
	{"停水", "断水"},
	{"停电", "断电"},
	{"物业", "物业服务", "物业管理"},
	{"学区", "入学片区"},
	{"网约车", "网络预约出租汽车"},
	{"电瓶车", "电动自行车", "电动车"},
	{"工资", "薪水", "劳动报酬"},
	{"鞭炮", "烟花爆竹", "烟花", "爆竹", "炮竹"},
	{"过年", "春节"},
	{"煤气", "燃气", "天然气"},
	{"摆摊", "流动摊贩", "占道经营", "小摊贩"},
	{"缺斤少两", "缺斤短两", "短斤缺两", "短斤少两"},
	{"家暴", "家庭暴力"},
	{"辞退", "开除", "解除劳动合同"},
	{"补偿", "经济补偿", "补偿金"},
	{"网购", "网上购物", "网络购物"},
	{"退休金", "养老金"},
	{"上户口", "落户", "出生登记"},
	{"驾照", "驾驶证"},
	{"房产证", "不动产权证书", "不动产权证"},
	{"违建", "违章搭建", "违法建设", "违章建筑"},
	{"打零工", "灵活就业"},
	{"老板", "用人单位", "雇主"},
	{"拖欠", "欠薪", "讨薪"},
	{"罚单", "违章", "交通违法"},
	{"宽带", "网络"},
}

// New returns an analyzer with the dictionary, the user's words and the
// synonym groups.
func New(dict *Dictionary, words []string, synonyms [][]string) (*Analyzer, error) {
	s, err := dict.load()
	if err != nil {
		return nil, err
	}
	a := &Analyzer{dict: dict, seg: s, synonyms: map[string][]string{}}
	return a.With(words, synonyms), nil
}

// With adds user words (e.g. 萍乡北站, 安源区) to the dictionary and returns
// an analyzer that also knows the synonym groups. Words are normalised
// first; the dictionary is shared by every analyzer made from it.
func (a *Analyzer) With(words []string, synonyms [][]string) *Analyzer {
	for _, w := range words {
		if w = Normalize(strings.TrimSpace(w)); w != "" {
			a.dict.mu.Lock()
			if _, _, ok := a.seg.Find(w); !ok {
				a.seg.AddToken(w, 2000, "n")
			}
			a.dict.mu.Unlock()
		}
	}
	out := &Analyzer{dict: a.dict, seg: a.seg, synonyms: map[string][]string{}}
	for k, v := range a.synonyms {
		out.synonyms[k] = v
	}
	for _, g := range synonyms {
		var group []string
		for _, w := range g {
			if w = Normalize(strings.TrimSpace(w)); w != "" {
				group = append(group, w)
			}
		}
		for _, w := range group {
			out.synonyms[w] = union(out.synonyms[w], group)
		}
	}
	return out
}

func union(a, b []string) []string {
	out := append([]string(nil), a...)
	for _, w := range b {
		if !contains(out, w) {
			out = append(out, w)
		}
	}
	return out
}

func contains(list []string, w string) bool {
	for _, x := range list {
		if x == w {
			return true
		}
	}
	return false
}

var bracket = strings.NewReplacer("〔", "[", "〕", "]", "［", "[", "］", "]", "【", "[", "】", "]", "（", "(", "）", ")",
	"﹝", "[", "﹞", "]", "〖", "[", "〗", "]")

// Normalize folds full-width letters, digits and punctuation to half width,
// lower-cases, and writes every kind of document-number bracket as [ ].
func Normalize(s string) string {
	return strings.ToLower(width.Fold.String(bracket.Replace(s)))
}

// docNumber finds 〔2025〕12号 (after Normalize: [2025]12号), also written
// 2025年12号 or with round brackets.
var docNumber = regexp.MustCompile(`[\[(]?((?:19|20)\d\d)[\])年]第?(\d{1,5})号`)

// isHan reports whether r is a Chinese character.
func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// isWordRune reports whether r can be part of a token.
func isWordRune(r rune) bool { return isHan(r) || unicode.IsLetter(r) || unicode.IsDigit(r) }

// clean keeps a segment's letters and digits; segments of punctuation or
// space become "".
func clean(w string) string {
	return strings.Map(func(r rune) rune {
		if isWordRune(r) {
			return r
		}
		return -1
	}, w)
}

// Tokens returns the index tokens of a text, repeated as often as they
// occur (the engines count term frequency).
func (a *Analyzer) Tokens(text string) []string {
	text = Normalize(text)
	var out []string
	a.dict.mu.RLock()
	words := a.seg.CutSearch(text, true)
	a.dict.mu.RUnlock()
	for _, w := range words {
		if w = clean(w); w != "" && !(len([]rune(w)) == 1 && isHan([]rune(w)[0])) {
			out = append(out, w)
		}
	}
	return appendRuns(out, text)
}

// Words returns the words of a text as the segmenter cuts it (precise
// mode, with the dictionary's additions), letters and digits only, in
// order: for showing which words of an appeal mattered.
func (a *Analyzer) Words(text string) []string {
	text = Normalize(text)
	a.dict.mu.RLock()
	words := a.seg.Cut(text, true)
	a.dict.mu.RUnlock()
	var out []string
	for _, w := range words {
		if w = clean(w); w != "" {
			out = append(out, w)
		}
	}
	return out
}

// appendRuns appends to out every two-character run of Chinese in the
// normalised text — so that any two-character word is found inside
// longer words and across odd segmentations — and its document numbers.
func appendRuns(out []string, text string) []string {
	for _, run := range hanRuns(text) {
		for i := 0; i+1 < len(run); i++ {
			out = append(out, string(run[i:i+2]))
		}
	}
	for _, m := range docNumber.FindAllStringSubmatch(text, -1) {
		out = append(out, m[1]+"年"+m[2]+"号")
	}
	return out
}

// hanRuns are the maximal runs of Chinese characters in s.
func hanRuns(s string) [][]rune {
	var out [][]rune
	var cur []rune
	for _, r := range s {
		if isHan(r) {
			cur = append(cur, r)
			continue
		}
		if len(cur) > 0 {
			out = append(out, cur)
			cur = nil
		}
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// IndexText is Tokens joined by spaces: the text stored in the FTS5 table
// or given to to_tsvector('simple', …).
func (a *Analyzer) IndexText(text string) string { return strings.Join(a.Tokens(text), " ") }
