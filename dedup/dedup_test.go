package dedup

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"
)

func TestSimilarity(t *testing.T) {
	a := Of("A2区银杏嘉园饭店油烟扰民", "银杏嘉园小区9栋下面的饭店油烟扰民，晚上更严重")
	b := Of("再次举报银杏嘉园饭店油烟扰民", "银杏嘉园9栋楼下饭店的油烟还是很大")
	c := Of("A7县公交车不准时", "15路公交车经常晚点")
	if s := Similarity(a, b); s < Threshold {
		t.Errorf("same place and problem: %.3f", s)
	}
	if s := Similarity(a, c); s >= Threshold {
		t.Errorf("different appeals: %.3f", s)
	}
	if s := Similarity(a, a); s < 0.999 {
		t.Errorf("itself: %.3f", s)
	}
	if s := Similarity(Of("", ""), a); s != 0 {
		t.Errorf("empty: %.3f", s)
	}
}

func TestWeights(t *testing.T) {
	var w Weights
	for _, s := range []string{"小区停水问题", "小区噪音问题", "小区停车问题", "学校收费问题"} {
		w.Add(Of("", s))
	}
	v := w.Weigh(Of("", "小区问题凤凰"))
	if v["问题"] != 1 {
		t.Errorf("a bigram in every appeal weighs %.3f, want 1", v["问题"])
	}
	if !(v["凤凰"] > v["小区"] && v["小区"] > v["问题"]) {
		t.Errorf("rarer bigrams should weigh more: %v", v)
	}
	// Two appeals that share only the common words are less alike weighted.
	a, b := Of("", "凤凰街小区停水问题"), Of("", "金鱼巷小区停水问题")
	if plain, weighted := Similarity(a, b), Similarity(w.Weigh(a), w.Weigh(b)); weighted >= plain {
		t.Errorf("weighted %.3f, plain %.3f", weighted, plain)
	}
	var none *Weights
	if got := none.Weigh(a); Similarity(got, a) < 0.999 || none.Len() != 0 {
		t.Error("nil weights should leave vectors as they are")
	}
}

// hotIssues reads the shared data's hot-issue messages as vectors by id,
// weighted by the document frequencies of messages_dev.jsonl (other
// messages of the same board, as a deployment's recent tickets would be),
// or skips the test when ../shared/data is absent.
func hotIssues(t *testing.T) map[string]Vector {
	dev, err := os.Open("../../shared/data/tipdm2020c/messages_dev.jsonl")
	if err != nil {
		t.Skip("../shared/data is absent: skipping the duplicate evaluation")
	}
	defer dev.Close()
	w := &Weights{}
	sc := bufio.NewScanner(dev)
	sc.Buffer(make([]byte, 1<<22), 1<<22)
	for sc.Scan() {
		var m struct{ Text string }
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatal(err)
		}
		w.Add(Of("", m.Text))
	}
	if w.Len() != 6312 {
		t.Fatalf("document frequencies of %d messages", w.Len())
	}
	f, err := os.Open("../../shared/data/tipdm2020c/hot_issue_messages.jsonl")
	if err != nil {
		t.Skip("../shared/data is absent: skipping the duplicate evaluation")
	}
	defer f.Close()
	vecs := map[string]Vector{}
	sc = bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var m struct {
			ID      string `json:"留言编号"`
			Title   string `json:"留言主题"`
			Content string `json:"留言详情"`
		}
		if json.Unmarshal(sc.Bytes(), &m) == nil {
			vecs[m.ID] = w.Weigh(Of(m.Title, m.Content))
		}
	}
	return vecs
}

// labelledPair is a pair's similarity and its label.
type labelledPair struct {
	sim float64
	dup bool
}

// readPairs scores the pairs of a testdata file.
func readPairs(t *testing.T, name string, vecs map[string]Vector) []labelledPair {
	pf, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var pairs []labelledPair
	for _, l := range strings.Split(string(pf), "\n") {
		f := strings.Split(l, "\t")
		if len(f) != 3 || strings.HasPrefix(l, "#") {
			continue
		}
		a, b := vecs[f[0]], vecs[f[1]]
		if a == nil || b == nil {
			t.Fatalf("%s: no message %s or %s", name, f[0], f[1])
		}
		pairs = append(pairs, labelledPair{Similarity(a, b), f[2] == "1"})
	}
	return pairs
}

// score is the precision and recall of "similarity ≥ th means a duplicate".
func score(pairs []labelledPair, th float64) (p, r float64) {
	var tp, fp, fn float64
	for _, x := range pairs {
		switch {
		case x.sim >= th && x.dup:
			tp++
		case x.sim >= th:
			fp++
		case x.dup:
			fn++
		}
	}
	return tp / max(tp+fp, 1), tp / max(tp+fn, 1)
}

// The labelled pairs of testdata/pairs.tsv and pairs2.tsv over the shared
// data's hot issues: precision and recall of "similarity ≥ Threshold means
// the same place and problem". pairs.tsv was sampled by nearness in this
// very measure, pairs2.tsv by another one.
func TestLabelledPairs(t *testing.T) {
	vecs := hotIssues(t)
	for _, set := range []struct {
		name string
		minP float64
		minR float64
	}{{"pairs.tsv", 0.75, 0.75}, {"pairs2.tsv", 0.85, 0.85}} {
		pairs := readPairs(t, set.name, vecs)
		for _, th := range []float64{0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7} {
			p, r := score(pairs, th)
			t.Logf("%s threshold %.2f: precision %.3f recall %.3f", set.name, th, p, r)
		}
		p, r := score(pairs, Threshold)
		t.Logf("%s: %d pairs (%d duplicates) at threshold %.2f: precision %.3f, recall %.3f", set.name, len(pairs), count(pairs, func(x labelledPair) bool { return x.dup }), Threshold, p, r)
		if p < set.minP || r < set.minR {
			t.Errorf("%s: precision %.3f, recall %.3f at threshold %.2f", set.name, p, r, Threshold)
		}
	}
}

func count[T any](xs []T, f func(T) bool) int {
	n := 0
	for _, x := range xs {
		if f(x) {
			n++
		}
	}
	return n
}
