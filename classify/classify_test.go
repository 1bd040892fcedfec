package classify_test

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"hotline/classify"
)

// fixture is a small training set of our own: three kinds of appeals.
var fixture = []struct{ text, label string }{
	{"小区停水三天了，自来水公司一直没有来修", "供水"},
	{"自来水水压太低，楼上没有水", "供水"},
	{"水管爆裂，路面都是水，请尽快维修供水管道", "供水"},
	{"家里自来水发黄有异味，水质有问题", "供水"},
	{"小区停电一整天，供电公司没有通知", "供电"},
	{"电压不稳，家里电器烧坏了，供电部门管不管", "供电"},
	{"路灯旁的电线老化，电箱冒火花，担心停电", "供电"},
	{"电费突然很高，怀疑电表有问题", "供电"},
	{"孩子上小学的学位分配不合理，离家太远", "教育"},
	{"学校乱收补课费，老师组织有偿补课", "教育"},
	{"幼儿园收费太高，入园难", "教育"},
	{"初中招生划片范围不公开，家长很着急", "教育"},
}

func train(t *testing.T) *classify.Model {
	t.Helper()
	var texts, labels []string
	for _, f := range fixture {
		texts, labels = append(texts, f.text), append(labels, f.label)
	}
	o := classify.DefaultOptions()
	o.MinDF = 1
	m, err := classify.Train(texts, labels, o)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestTrainPredict(t *testing.T) {
	m := train(t)
	for text, want := range map[string]string{
		"我家停水了，自来水什么时候恢复": "供水",
		"昨晚停电，电费也有问题":     "供电",
		"小学学位分配":          "教育",
	} {
		got := m.Predict(text)
		if got[0].Label != want {
			t.Errorf("Predict(%q) = %v, want %s first", text, got, want)
		}
		var sum float64
		for _, s := range got {
			sum += s.Prob
		}
		if sum < 0.999 || sum > 1.001 || got[0].Prob < got[1].Prob {
			t.Errorf("probabilities %v do not form a sorted distribution", got)
		}
	}
}

func TestDeterministicAndSaveLoad(t *testing.T) {
	a, b := train(t), train(t)
	var ba, bb bytes.Buffer
	if err := a.Save(&ba); err != nil {
		t.Fatal(err)
	}
	b.Save(&bb)
	if !bytes.Equal(ba.Bytes(), bb.Bytes()) {
		t.Error("two trainings on the same data differ")
	}
	m, err := classify.Load(bytes.NewReader(ba.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m.Predict("停水"), a.Predict("停水"); got[0] != want[0] {
		t.Errorf("loaded model predicts %v, saved one %v", got[0], want[0])
	}
	if _, err := classify.Load(strings.NewReader("not a model")); err == nil {
		t.Error("Load accepted garbage")
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"ＡＢＣ１２３，停水！":                    "abc0 停水",
		"电话13812345678 https://x.cn 停电": "电话0 停电",
		"  ":                            "",
	} {
		if got := classify.Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEvaluate(t *testing.T) {
	r := classify.Evaluate([]string{"a", "a", "b", "b"}, []string{"a", "b", "b", "b"})
	if r.Accuracy != 0.75 || r.Confusion[0][1] != 1 {
		t.Fatalf("report %+v", r)
	}
	// a: P=1 R=0.5 F1=0.6667; b: P=0.6667 R=1 F1=0.8 → macro 0.7333
	if r.MacroF1 < 0.7333 || r.MacroF1 > 0.7334 {
		t.Errorf("macro F1 %.4f", r.MacroF1)
	}
	var out bytes.Buffer
	r.Write(&out)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if last := lines[len(lines)-1]; last != "macro_f1=0.7333" {
		t.Errorf("last line %q", last)
	}
}

func TestEvaluateScored(t *testing.T) {
	truth := []string{"a", "a", "b", "b"}
	top := []classify.Scored{{"a", 0.97}, {"b", 0.55}, {"b", 0.85}, {"a", 0.65}}
	r := classify.EvaluateScored(truth, top)
	if r.Accuracy != 0.5 || len(r.ByConfidence) != len(classify.Thresholds) {
		t.Fatalf("report %+v", r)
	}
	want := map[float64][2]float64{0.5: {1, 0.5}, 0.6: {0.75, 2.0 / 3}, 0.8: {0.5, 1}, 0.95: {0.25, 1}}
	for _, c := range r.ByConfidence {
		if w, ok := want[c.Threshold]; ok && (math.Abs(c.Coverage-w[0]) > 1e-9 || math.Abs(c.Accuracy-w[1]) > 1e-9) {
			t.Errorf("threshold %.2f: coverage %.4f accuracy %.4f, want %v", c.Threshold, c.Coverage, c.Accuracy, w)
		}
	}
	var out bytes.Buffer
	r.Write(&out)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if !strings.Contains(out.String(), "0.80        0.5000   1.0000") || lines[len(lines)-1] != "macro_f1=0.5000" {
		t.Errorf("written:\n%s", out.String())
	}
}

func TestExplain(t *testing.T) {
	m := train(t)
	ex := m.Explain("我家停水了，自来水什么时候恢复", "供水", 3)
	if len(ex) == 0 {
		t.Fatal("no explanation")
	}
	var words []string
	for _, c := range ex {
		words = append(words, c.Feature)
		if c.Weight <= 0 {
			t.Errorf("non-positive contribution %+v", c)
		}
	}
	if joined := strings.Join(words, " "); !strings.Contains(joined, "水") {
		t.Errorf("the words behind 供水 are %q", joined)
	}
	if m.Explain("停水", "no such label", 3) != nil {
		t.Error("explained an unknown label")
	}
}

func TestExplainWords(t *testing.T) {
	m := train(t)
	text := "我家停水了，自来水什么时候恢复"
	words := []string{"我家", "停水", "了", "自来水", "什么", "时候", "恢复", "停水"}
	ex := m.ExplainWords(text, "供水", words, 3)
	if len(ex) == 0 || len(ex) > 3 {
		t.Fatalf("explanation %+v", ex)
	}
	seen := map[string]bool{}
	for i, c := range ex {
		if c.Weight <= 0 || len([]rune(c.Feature)) < 2 || seen[c.Feature] || (i > 0 && c.Weight > ex[i-1].Weight) {
			t.Errorf("contribution %d %+v", i, c)
		}
		seen[c.Feature] = true
	}
	if !seen["停水"] && !seen["自来水"] {
		t.Errorf("the words behind 供水 are %+v", ex)
	}
	if m.ExplainWords(text, "no such label", words, 3) != nil {
		t.Error("explained an unknown label")
	}
}
