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

// The labelled pairs of testdata/pairs.tsv over the shared data's hot
// issues: precision and recall of "similarity ≥ Threshold means the same
// place and problem".
func TestLabelledPairs(t *testing.T) {
	f, err := os.Open("../../shared/data/tipdm2020c/hot_issue_messages.jsonl")
	if err != nil {
		t.Skip("../shared/data is absent: skipping the duplicate evaluation")
	}
	defer f.Close()
	vecs := map[string]Vector{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var m struct {
			ID      string `json:"留言编号"`
			Title   string `json:"留言主题"`
			Content string `json:"留言详情"`
		}
		if json.Unmarshal(sc.Bytes(), &m) == nil {
			vecs[m.ID] = Of(m.Title, m.Content)
		}
	}
	pf, err := os.ReadFile("testdata/pairs.tsv")
	if err != nil {
		t.Fatal(err)
	}
	type pair struct {
		sim float64
		dup bool
	}
	var pairs []pair
	for _, l := range strings.Split(string(pf), "\n") {
		f := strings.Split(l, "\t")
		if len(f) != 3 || strings.HasPrefix(l, "#") {
			continue
		}
		a, b := vecs[f[0]], vecs[f[1]]
		if a == nil || b == nil {
			t.Fatalf("no message %s or %s", f[0], f[1])
		}
		pairs = append(pairs, pair{Similarity(a, b), f[2] == "1"})
	}
	score := func(th float64) (p, r float64) {
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
	for _, th := range []float64{0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7} {
		p, r := score(th)
		t.Logf("threshold %.2f: precision %.3f recall %.3f", th, p, r)
	}
	p, r := score(Threshold)
	t.Logf("%d pairs (%d duplicates) at threshold %.2f: precision %.3f, recall %.3f", len(pairs), count(pairs, func(x pair) bool { return x.dup }), Threshold, p, r)
	if p < 0.7 || r < 0.7 {
		t.Errorf("precision %.3f, recall %.3f at threshold %.2f", p, r, Threshold)
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
