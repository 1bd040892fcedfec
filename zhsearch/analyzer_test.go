package zhsearch

import (
	"slices"
	"strings"
	"testing"
)

// testDict is the tests' dictionary, loaded once.
var testDict = NewDictionary()

func analyzer(t testing.TB) *Analyzer {
	t.Helper()
	a, err := New(testDict, []string{"萍乡北站"}, DefaultSynonyms)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"ＥＴＣ卡１２３":       "etc卡123",
		"萍府办发〔2025〕12号": "萍府办发[2025]12号",
		"萍府办发【２０２５】12号": "萍府办发[2025]12号",
		"（试行）":          "(试行)",
		"App下载，５Ｇ信号":    "app下载,5g信号",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTokens(t *testing.T) {
	a := analyzer(t)
	toks := a.Tokens("关于调整萍乡市城乡居民医疗保险缴费标准的通知（萍府办发〔2025〕12号），ETC卡、5G")
	for _, want := range []string{"医疗保险", "医疗", "保险", "缴费", "萍乡", "2025年12号", "etc", "5g", "2025", "12",
		// two-character runs inside words the segmenter keeps whole
		"疗保", "居民"} {
		if !slices.Contains(toks, want) {
			t.Errorf("tokens lack %q: %v", want, toks)
		}
	}
	for _, tok := range toks {
		if strings.ContainsAny(tok, " ,，、()[]〔〕") || tok == "" {
			t.Errorf("token %q has punctuation", tok)
		}
		if r := []rune(tok); len(r) == 1 && isHan(r[0]) {
			t.Errorf("single character token %q", tok)
		}
	}
	if toks := a.Tokens("萍乡北站出租车"); !slices.Contains(toks, "萍乡北站") {
		t.Errorf("user word not segmented: %v", toks)
	}
}

func TestWords(t *testing.T) {
	a := analyzer(t)
	got := a.Words("凤凰街小区从昨天开始停水，萍乡北站ETC卡")
	if strings.Join(got, "") != "凤凰街小区从昨天开始停水萍乡北站etc卡" {
		t.Errorf("words do not cover the text in order: %v", got)
	}
	for _, want := range []string{"停水", "开始", "萍乡北站", "etc"} {
		if !slices.Contains(got, want) {
			t.Errorf("words lack %q: %v", want, got)
		}
	}
	if slices.Contains(got, "区停") || slices.Contains(got, "水,") {
		t.Errorf("words cross word boundaries: %v", got)
	}
}

func TestQuery(t *testing.T) {
	a := analyzer(t)
	q := a.Query("请问暖气不热怎么办？")
	if got := q.FTS5(1); !strings.Contains(got, `"暖气"`) || !strings.Contains(got, `"供暖"`) || strings.Contains(got, "怎么") || strings.Contains(got, "请问") {
		t.Errorf("FTS5 = %s", got)
	}
	if got := q.TSQuery(1); !strings.Contains(got, "'供暖'") || !strings.Contains(got, " | ") {
		t.Errorf("TSQuery = %s", got)
	}
	// A long word may also match as its two-character runs, all of them.
	q = a.Query("医疗保险")
	if got := q.FTS5(1); !strings.Contains(got, `("医疗" AND "疗保" AND "保险")`) || !strings.Contains(got, `"医保"`) {
		t.Errorf("FTS5 = %s", got)
	}
	// A document number: its token and the issuer's characters.
	q = a.Query("萍府办发〔2025〕12号")
	if got := q.FTS5(1); !strings.Contains(got, `"2025年12号" AND "萍府" AND "府办" AND "办发"`) {
		t.Errorf("doc number FTS5 = %s", got)
	}
	if len(q.Terms) == 0 || q.Terms[0] != "萍府办发[2025]12号" {
		t.Errorf("doc number terms = %v", q.Terms)
	}
	if got := a.Query("社保 噪音").FTS5(2, "zzstatuspublished"); got != `((("社保") OR ("社会保险") OR ("社会" AND "会保" AND "保险")) AND (("噪音") OR ("噪声"))) AND "zzstatuspublished"` {
		t.Errorf("FTS5 all = %s", got)
	}
	if got := a.Query("社保").TSQuery(1, "zzkindfaq"); got != `((('社保') | ('社会保险') | ('社会' & '会保' & '保险'))) & 'zzkindfaq'` {
		t.Errorf("TSQuery all = %s", got)
	}
	// Two of three: each word in two of the three pairs.
	if got := a.Query("社保 噪音 停电").FTS5(2); strings.Count(got, `"停电"`) != 2 || strings.Count(got, `"社保"`) != 2 || strings.Count(got, `"噪音"`) != 2 {
		t.Errorf("two of three = %s", got)
	}
	if q := a.Query("怎么办？吗"); !q.Empty() {
		t.Errorf("stop words only: %+v", q)
	}
	// Nothing in a query can break out of the quoting.
	q = a.Query(`社保" OR x AND 'y' NEAR(`)
	for _, s := range []string{q.FTS5(1), q.TSQuery(1)} {
		if strings.Count(s, `"`)%2 != 0 || strings.Count(s, "'")%2 != 0 {
			t.Errorf("unbalanced quoting: %s", s)
		}
	}
}

func TestSnippet(t *testing.T) {
	text := strings.Repeat("无关的内容。", 30) + "冬季供暖期间室温应不低于18℃，暖气不热可向供热单位报修。" + strings.Repeat("其他说明。", 30)
	got := SnippetHTML(text, []string{"暖气", "供暖", "<b>"}, 40)
	if !strings.Contains(got, "<mark>暖气</mark>") || !strings.Contains(got, "<mark>供暖</mark>") || !strings.HasPrefix(got, "…") || !strings.HasSuffix(got, "…") {
		t.Errorf("snippet %s", got)
	}
	if got := SnippetHTML("<script>社保</script>", []string{"社保"}, 40); got != "&lt;script&gt;<mark>社保</mark>&lt;/script&gt;" {
		t.Errorf("escaping: %s", got)
	}
	// Full-width text is matched by its normalised form, shown as written.
	if got := SnippetHTML("依据萍府办发〔2025〕12号执行", []string{"萍府办发[2025]12号"}, 40); got != "依据<mark>萍府办发〔2025〕12号</mark>执行" {
		t.Errorf("doc number snippet: %s", got)
	}
}

func BenchmarkTokens(b *testing.B) {
	a := analyzer(b)
	text := strings.Repeat("小区暖气不热供暖公司不管，楼上噪音扰民晚上装修，怎么补办社保卡。", 10)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		a.Tokens(text)
	}
}

// matches reports whether every group of q has an alternative whose
// tokens are all in the index text.
func matches(q Query, indexText string) bool {
	have := map[string]bool{}
	for _, tok := range strings.Fields(indexText) {
		have[tok] = true
	}
	for _, g := range q.Groups {
		ok := false
		for _, alt := range g {
			all := true
			for _, tok := range alt {
				all = all && have[tok]
			}
			ok = ok || all
		}
		if !ok {
			return false
		}
	}
	return true
}

func TestBigramText(t *testing.T) {
	a := analyzer(t)
	text := "关于调整萍乡市城乡居民医疗保险缴费标准的通知（萍府办发〔2025〕12号），ETC卡、5G信号，补贴3.5万元，covid-19检测，A1栋302室"
	idx := BigramText(text)
	// Whatever finds the text through the segmenter's tokens finds it
	// through the runs too.
	for _, q := range []string{"医疗保险", "医保", "居民 缴费", "缴费标准", "萍府办发〔2025〕12号", "ETC", "5g 信号", "3.5万", "covid 19",
		"a1栋", "302", "萍乡市", "城乡居民医疗保险"} {
		query := a.Query(q)
		if !matches(query, a.IndexText(text)) {
			t.Fatalf("%q does not match the segmented text either", q)
		}
		if !matches(query, idx) {
			t.Errorf("%q does not match the runs: %v in %s", q, query.Groups, idx)
		}
	}
	for _, q := range []string{"停水", "噪音", "2024年12号"} {
		if matches(a.Query(q), idx) {
			t.Errorf("%q matches an unrelated text", q)
		}
	}
	for _, tok := range strings.Fields(idx) {
		if r := []rune(tok); len(r) == 1 && isHan(r[0]) {
			t.Errorf("single character token %q", tok)
		}
	}
}
