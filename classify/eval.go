package classify

import (
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"strings"
)

// ClassReport is one label's precision, recall and F1.
type ClassReport struct {
	Label                          string
	Precision, Recall, F1, Support float64
}

// Report is the evaluation of predictions against true labels.
type Report struct {
	Accuracy  float64
	MacroF1   float64
	Classes   []ClassReport
	Labels    []string
	Confusion [][]int // [true][predicted]
	// ByConfidence: how many predictions reach each threshold and how
	// many of those are right — what automatic dispatch above that
	// threshold would do. Only from EvaluateScored.
	ByConfidence []ConfidenceRow
}

// ConfidenceRow is the share of predictions whose probability reaches
// Threshold (Coverage) and the accuracy among them.
type ConfidenceRow struct {
	Threshold, Coverage, Accuracy float64
}

// Thresholds are the rows of Report.ByConfidence.
var Thresholds = []float64{0.5, 0.6, 0.7, 0.8, 0.9, 0.95}

// EvaluateScored is Evaluate of each text's most likely label, with the
// confidence table from its probability.
func EvaluateScored(truth []string, top []Scored) Report {
	pred := make([]string, len(top))
	for i, s := range top {
		pred[i] = s.Label
	}
	r := Evaluate(truth, pred)
	for _, th := range Thresholds {
		var n, right int
		for i, s := range top {
			if s.Prob >= th {
				n++
				if s.Label == truth[i] {
					right++
				}
			}
		}
		row := ConfidenceRow{Threshold: th, Coverage: float64(n) / float64(max(1, len(top)))}
		if n > 0 {
			row.Accuracy = float64(right) / float64(n)
		}
		r.ByConfidence = append(r.ByConfidence, row)
	}
	return r
}

// Evaluate compares predicted labels with the truth.
func Evaluate(truth, pred []string) Report {
	set := map[string]bool{}
	for i := range truth {
		set[truth[i]], set[pred[i]] = true, true
	}
	var labels []string
	for l := range set {
		labels = append(labels, l)
	}
	sort.Strings(labels)
	idx := map[string]int{}
	for i, l := range labels {
		idx[l] = i
	}
	r := Report{Labels: labels, Confusion: make([][]int, len(labels))}
	for i := range r.Confusion {
		r.Confusion[i] = make([]int, len(labels))
	}
	correct := 0
	for i := range truth {
		r.Confusion[idx[truth[i]]][idx[pred[i]]]++
		if truth[i] == pred[i] {
			correct++
		}
	}
	r.Accuracy = float64(correct) / float64(max(1, len(truth)))
	for i, l := range labels {
		var tp, fp, fn int
		for j := range labels {
			if j == i {
				tp = r.Confusion[i][i]
			} else {
				fn += r.Confusion[i][j]
				fp += r.Confusion[j][i]
			}
		}
		c := ClassReport{Label: l, Support: float64(tp + fn)}
		if tp+fp > 0 {
			c.Precision = float64(tp) / float64(tp+fp)
		}
		if tp+fn > 0 {
			c.Recall = float64(tp) / float64(tp+fn)
		}
		if c.Precision+c.Recall > 0 {
			c.F1 = 2 * c.Precision * c.Recall / (c.Precision + c.Recall)
		}
		r.Classes = append(r.Classes, c)
		r.MacroF1 += c.F1
	}
	r.MacroF1 /= float64(max(1, len(labels)))
	return r
}

// Write prints the report; its last line is exactly macro_f1=0.XXXX.
func (r Report) Write(w io.Writer) {
	fmt.Fprintf(w, "accuracy=%.4f\n\n%-16s %9s %9s %9s %8s\n", r.Accuracy, "label", "precision", "recall", "f1", "support")
	for _, c := range r.Classes {
		fmt.Fprintf(w, "%-16s %9.4f %9.4f %9.4f %8.0f\n", c.Label, c.Precision, c.Recall, c.F1, c.Support)
	}
	fmt.Fprintf(w, "\nconfusion (rows: true, columns: predicted, in the order above)\n")
	for i, row := range r.Confusion {
		cells := make([]string, len(row))
		for j, n := range row {
			cells[j] = fmt.Sprintf("%5d", n)
		}
		fmt.Fprintf(w, "%-16s %s\n", r.Labels[i], strings.Join(cells, " "))
	}
	if len(r.ByConfidence) > 0 {
		fmt.Fprintf(w, "\nby confidence (automatic dispatch from the threshold up)\n%-9s %8s %8s\n", "threshold", "coverage", "accuracy")
		for _, c := range r.ByConfidence {
			fmt.Fprintf(w, "%-9.2f %8.4f %8.4f\n", c.Threshold, c.Coverage, c.Accuracy)
		}
	}
	fmt.Fprintf(w, "macro_f1=%.4f\n", r.MacroF1)
}

// CrossValidate trains on k-1 folds and predicts the k-th, k times, with
// stratified folds from a seeded shuffle, and evaluates all predictions.
func CrossValidate(texts, labels []string, k int, o Options) (Report, error) {
	byLabel := map[string][]int{}
	for i, l := range labels {
		byLabel[l] = append(byLabel[l], i)
	}
	var keys []string
	for l := range byLabel {
		keys = append(keys, l)
	}
	sort.Strings(keys)
	fold := make([]int, len(texts))
	rng := rand.New(rand.NewPCG(o.Seed, 7))
	for _, l := range keys {
		ids := byLabel[l]
		rng.Shuffle(len(ids), func(a, b int) { ids[a], ids[b] = ids[b], ids[a] })
		for n, i := range ids {
			fold[i] = n % k
		}
	}
	top := make([]Scored, len(texts))
	for f := 0; f < k; f++ {
		var tt, tl []string
		for i := range texts {
			if fold[i] != f {
				tt, tl = append(tt, texts[i]), append(tl, labels[i])
			}
		}
		m, err := Train(tt, tl, o)
		if err != nil {
			return Report{}, err
		}
		for i := range texts {
			if fold[i] == f {
				top[i] = m.Predict(texts[i])[0]
			}
		}
	}
	return EvaluateScored(labels, top), nil
}
