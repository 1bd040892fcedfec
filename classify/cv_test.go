package classify_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"hotline/classify"
)

// sharedData reads ../shared/data/tipdm2020c/messages_dev.jsonl, or skips.
func sharedData(tb testing.TB) (texts, labels []string) {
	f, err := os.Open("../../shared/data/tipdm2020c/messages_dev.jsonl")
	if err != nil {
		tb.Skip("../shared/data is absent: skipping the benchmark on the shared data set")
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var r struct{ Text, Label string }
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			tb.Fatal(err)
		}
		texts, labels = append(texts, r.Text), append(labels, r.Label)
	}
	return texts, labels
}

func TestCrossValidateShared(t *testing.T) {
	if os.Getenv("HOTLINE_CV") == "" {
		t.Skip("set HOTLINE_CV=1 to run 5-fold cross-validation on the shared data")
	}
	texts, labels := sharedData(t)
	o := classify.DefaultOptions()
	// HOTLINE_CV_OPTS="minn=1 maxn=4 c=1 pos=0.3" tries other settings.
	fmt.Sscanf(os.Getenv("HOTLINE_CV_OPTS"), "minn=%d maxn=%d c=%g pos=%g nb=%g", &o.MinN, &o.MaxN, &o.C, &o.PosWeight, &o.NB)
	t.Logf("options %+v", o)
	r, err := classify.CrossValidate(texts, labels, 5, o)
	if err != nil {
		t.Fatal(err)
	}
	r.Write(os.Stdout)
}

// BenchmarkPredict measures inference on the shared data's messages.
func BenchmarkPredict(b *testing.B) {
	texts, labels := sharedData(b)
	m, err := classify.Train(texts, labels, classify.DefaultOptions())
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		m.Predict(texts[i%len(texts)])
	}
}

// BenchmarkTrain measures training on all 6,312 messages.
func BenchmarkTrain(b *testing.B) {
	texts, labels := sharedData(b)
	for i := 0; i < b.N; i++ {
		if _, err := classify.Train(texts, labels, classify.DefaultOptions()); err != nil {
			b.Fatal(err)
		}
	}
}
