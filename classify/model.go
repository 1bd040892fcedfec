package classify

import (
	"compress/gzip"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
)

// FormatVersion is written into every model file; Load refuses others.
const FormatVersion = 1

// Options tune training.
type Options struct {
	MinN, MaxN int     // character n-gram range
	MinDF      int     // a feature must occur in this many documents
	C          float64 // SVM cost
	PosWeight  float64 // cost of a class's own examples relative to the rest: (rest/own)^PosWeight
	NB         float64 // > 0: scale features by the class's naive-Bayes log-count ratio (NBSVM), smoothed by this
	Epochs     int
	Seed       uint64
}

// DefaultOptions are the settings `hotline dispatch train` uses.
func DefaultOptions() Options {
	return Options{MinN: 1, MaxN: 2, MinDF: 2, C: 1, PosWeight: 0.5, NB: 1, Epochs: 30, Seed: 12345}
}

// Model is a trained classifier.
type Model struct {
	Version  int
	Options  Options
	Labels   []string
	Features []string // the n-gram of each feature index, sorted
	IDF      []float32
	W        [][]float32 // per label: weights per feature, then the bias last
	Scale    float64     // softmax temperature for probabilities

	vocab map[string]int32 // Features inverted; rebuilt on load
}

// sparse is a document vector.
type sparse struct {
	idx []int32
	val []float32
}

func (m *Model) vectorize(text string) sparse {
	tf := map[int32]float32{}
	grams(Normalize(text), m.Options.MinN, m.Options.MaxN, func(g string) {
		if i, ok := m.vocab[g]; ok {
			tf[i]++
		}
	})
	v := sparse{idx: make([]int32, 0, len(tf)), val: make([]float32, 0, len(tf))}
	for i := range tf {
		v.idx = append(v.idx, i)
	}
	sort.Slice(v.idx, func(a, b int) bool { return v.idx[a] < v.idx[b] })
	var norm float64
	for _, i := range v.idx {
		x := (1 + float32(math.Log(float64(tf[i])))) * m.IDF[i]
		v.val = append(v.val, x)
		norm += float64(x) * float64(x)
	}
	if norm > 0 {
		inv := float32(1 / math.Sqrt(norm))
		for k := range v.val {
			v.val[k] *= inv
		}
	}
	return v
}

// Train fits a model on texts and their labels. The softmax temperature
// that turns margins into probabilities is chosen on a held-out fifth
// (training margins are too confident to calibrate on).
func Train(texts, labels []string, o Options) (*Model, error) {
	if len(texts) != len(labels) || len(texts) == 0 {
		return nil, errors.New("classify: need as many labels as texts, and at least one")
	}
	scale := 1.0
	if len(texts) >= 50 {
		var fitT, fitL, heldT, heldL []string
		for i := range texts {
			if (i*7919)%5 == 0 { // a fixed, spread fifth
				heldT, heldL = append(heldT, texts[i]), append(heldL, labels[i])
			} else {
				fitT, fitL = append(fitT, texts[i]), append(fitL, labels[i])
			}
		}
		sub := fit(fitT, fitL, o)
		scale = sub.calibrate(heldT, heldL)
	}
	m := fit(texts, labels, o)
	m.Scale = scale
	return m, nil
}

func fit(texts, labels []string, o Options) *Model {
	m := &Model{Version: FormatVersion, Options: o, vocab: map[string]int32{}, Scale: 1}
	// Vocabulary: n-grams in at least MinDF documents, ids in sorted order
	// so that training is deterministic.
	df := map[string]int{}
	for _, t := range texts {
		seen := map[string]bool{}
		grams(Normalize(t), o.MinN, o.MaxN, func(g string) {
			if !seen[g] {
				seen[g] = true
				df[g]++
			}
		})
	}
	var feats []string
	for g, n := range df {
		if n >= o.MinDF {
			feats = append(feats, g)
		}
	}
	sort.Strings(feats)
	m.Features = feats
	m.IDF = make([]float32, len(feats))
	for i, g := range feats {
		m.vocab[g] = int32(i)
		m.IDF[i] = float32(math.Log(float64(1+len(texts))/float64(1+df[g])) + 1)
	}
	labelIdx := map[string]int{}
	for _, l := range labels {
		if _, ok := labelIdx[l]; !ok {
			labelIdx[l] = 0
			m.Labels = append(m.Labels, l)
		}
	}
	sort.Strings(m.Labels)
	for i, l := range m.Labels {
		labelIdx[l] = i
	}
	X := make([]sparse, len(texts))
	for i, t := range texts {
		X[i] = m.vectorize(t)
	}
	y := make([]int, len(labels))
	for i, l := range labels {
		y[i] = labelIdx[l]
	}
	m.W = make([][]float32, len(m.Labels))
	for c := range m.Labels {
		m.W[c] = trainSVM(X, y, c, len(feats), o)
	}
	return m
}

// trainSVM fits one class against the rest: an L2-regularised, L2-loss
// linear SVM solved in the dual by coordinate descent, with a bias
// feature of constant 1 (stored last).
func trainSVM(X []sparse, y []int, class, nfeat int, o Options) []float32 {
	if o.NB > 0 {
		X = nbScale(X, y, class, nfeat, o.NB)
	}
	w := make([]float64, nfeat+1)
	alpha := make([]float64, len(X))
	// Small classes get a larger cost for their own examples, so that the
	// rest does not drown them.
	var own int
	for _, c := range y {
		if c == class {
			own++
		}
	}
	cPos := o.C * math.Pow(float64(len(y)-own)/float64(max(own, 1)), o.PosWeight)
	diag := make([]float64, len(X))
	qii := make([]float64, len(X))
	for i, x := range X {
		q := 1.0 // the bias feature
		for _, v := range x.val {
			q += float64(v) * float64(v)
		}
		diag[i] = 1 / (2 * o.C)
		if y[i] == class {
			diag[i] = 1 / (2 * cPos)
		}
		qii[i] = q + diag[i]
	}
	order := make([]int, len(X))
	for i := range order {
		order[i] = i
	}
	rng := rand.New(rand.NewPCG(o.Seed, uint64(class)))
	for epoch := 0; epoch < o.Epochs; epoch++ {
		rng.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		var maxPG float64
		for _, i := range order {
			yi := -1.0
			if y[i] == class {
				yi = 1
			}
			x := X[i]
			dot := w[nfeat]
			for k, j := range x.idx {
				dot += w[j] * float64(x.val[k])
			}
			g := yi*dot - 1 + diag[i]*alpha[i]
			pg := g
			if alpha[i] == 0 && g > 0 {
				pg = 0
			}
			maxPG = math.Max(maxPG, math.Abs(pg))
			if pg == 0 {
				continue
			}
			old := alpha[i]
			alpha[i] = math.Max(old-g/qii[i], 0)
			d := (alpha[i] - old) * yi
			for k, j := range x.idx {
				w[j] += d * float64(x.val[k])
			}
			w[nfeat] += d
		}
		if maxPG < 1e-3 {
			break
		}
	}
	out := make([]float32, len(w))
	for i, v := range w {
		out[i] = float32(v)
	}
	if o.NB > 0 { // fold the scaling into the weights: w·(x⊙r) = (w⊙r)·x
		r := nbRatio(X, y, class, nfeat, o.NB)
		for j := range r {
			out[j] *= float32(r[j])
		}
	}
	return out
}

// nbRatio is the naive-Bayes log-count ratio of each feature for a class
// against the rest (Wang & Manning's NBSVM), over presence counts.
func nbRatio(X []sparse, y []int, class, nfeat int, alpha float64) []float64 {
	p, q := make([]float64, nfeat), make([]float64, nfeat)
	for i, x := range X {
		dst := q
		if y[i] == class {
			dst = p
		}
		for _, j := range x.idx {
			dst[j]++
		}
	}
	var sp, sq float64
	for j := range p {
		p[j] += alpha
		q[j] += alpha
		sp += p[j]
		sq += q[j]
	}
	r := make([]float64, nfeat)
	for j := range r {
		r[j] = math.Log((p[j] / sp) / (q[j] / sq))
	}
	return r
}

// nbScale returns X with each feature multiplied by the class's ratio.
func nbScale(X []sparse, y []int, class, nfeat int, alpha float64) []sparse {
	r := nbRatio(X, y, class, nfeat, alpha)
	out := make([]sparse, len(X))
	for i, x := range X {
		v := sparse{idx: x.idx, val: make([]float32, len(x.val))}
		for k, j := range x.idx {
			v.val[k] = x.val[k] * float32(r[j])
		}
		out[i] = v
	}
	return out
}

func (m *Model) scores(v sparse) []float64 {
	s := make([]float64, len(m.Labels))
	for c, w := range m.W {
		sum := float64(w[len(w)-1])
		for k, j := range v.idx {
			sum += float64(w[j]) * float64(v.val[k])
		}
		s[c] = sum
	}
	return s
}

// calibrate picks the softmax temperature with the least log loss on
// held-out examples.
func (m *Model) calibrate(texts, labels []string) float64 {
	idx := map[string]int{}
	for i, l := range m.Labels {
		idx[l] = i
	}
	best, bestLoss := 1.0, math.Inf(1)
	for _, t := range []float64{0.5, 1, 1.5, 2, 3, 4, 6, 8} {
		var loss float64
		for i, text := range texts {
			p := softmax(m.scores(m.vectorize(text)), t)
			pi := 1e-12
			if c, ok := idx[labels[i]]; ok {
				pi = math.Max(p[c], 1e-12)
			}
			loss -= math.Log(pi)
		}
		if loss < bestLoss {
			best, bestLoss = t, loss
		}
	}
	return best
}

func softmax(s []float64, t float64) []float64 {
	mx := math.Inf(-1)
	for _, v := range s {
		mx = math.Max(mx, v)
	}
	p := make([]float64, len(s))
	var sum float64
	for i, v := range s {
		p[i] = math.Exp((v - mx) * t)
		sum += p[i]
	}
	for i := range p {
		p[i] /= sum
	}
	return p
}

// Scored is a label with its probability.
type Scored struct {
	Label string  `json:"label"`
	Prob  float64 `json:"prob"`
}

// Predict returns every label with its probability, most likely first.
func (m *Model) Predict(text string) []Scored {
	p := softmax(m.scores(m.vectorize(text)), m.Scale)
	out := make([]Scored, len(p))
	for i := range p {
		out[i] = Scored{m.Labels[i], p[i]}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].Prob > out[b].Prob })
	return out
}

// Save writes the model (gob, gzip).
func (m *Model) Save(w io.Writer) error {
	z := gzip.NewWriter(w)
	if err := gob.NewEncoder(z).Encode(m); err != nil {
		return err
	}
	return z.Close()
}

// Load reads a model written by Save.
func Load(r io.Reader) (*Model, error) {
	z, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("classify: not a model file: %w", err)
	}
	var m Model
	if err := gob.NewDecoder(z).Decode(&m); err != nil {
		return nil, fmt.Errorf("classify: not a model file: %w", err)
	}
	if m.Version != FormatVersion {
		return nil, fmt.Errorf("classify: model format %d, this build reads %d", m.Version, FormatVersion)
	}
	m.vocab = make(map[string]int32, len(m.Features))
	for i, g := range m.Features {
		m.vocab[g] = int32(i)
	}
	return &m, nil
}

// Contribution is one feature's share in a label's score.
type Contribution struct {
	Feature string  `json:"feature"`
	Weight  float64 `json:"weight"`
}

// Explain returns the n-grams of text that pushed most towards label, the
// strongest first: what a dispatcher is shown beside a suggestion.
// Overlapping n-grams of one word are folded into the longest.
func (m *Model) Explain(text, label string, k int) []Contribution {
	c := slices.Index(m.Labels, label)
	if c < 0 {
		return nil
	}
	v := m.vectorize(text)
	var out []Contribution
	for n, j := range v.idx {
		if w := float64(m.W[c][j]) * float64(v.val[n]); w > 0 {
			out = append(out, Contribution{m.Features[j], w})
		}
	}
	sortContributions(out)
	var kept []Contribution
	for _, x := range out {
		if len(kept) == k {
			break
		}
		dup := false
		for i, y := range kept {
			switch {
			case strings.Contains(y.Feature, x.Feature):
				dup = true
			case strings.Contains(x.Feature, y.Feature):
				kept[i].Feature, dup = x.Feature, true
			}
		}
		if !dup {
			kept = append(kept, x)
		}
	}
	return kept
}

// ExplainWords is Explain in whole words: each of words (the text's words,
// as a segmenter cut them) scores the sum of what its n-grams pushed
// towards label, and the k strongest that pushed are returned. A
// dispatcher reads 停水 and 小区 rather than the n-grams 区停 or 开.
func (m *Model) ExplainWords(text, label string, words []string, k int) []Contribution {
	c := slices.Index(m.Labels, label)
	if c < 0 {
		return nil
	}
	v := m.vectorize(text)
	weight := make(map[int32]float64, len(v.idx))
	for n, j := range v.idx {
		weight[j] = float64(m.W[c][j]) * float64(v.val[n])
	}
	seen := map[string]bool{}
	var out []Contribution
	for _, w := range words {
		w = Normalize(w)
		if seen[w] || len([]rune(w)) < 2 || strings.ContainsRune(w, ' ') {
			continue
		}
		seen[w] = true
		var sum float64
		grams(w, m.Options.MinN, m.Options.MaxN, func(g string) {
			if j, ok := m.vocab[g]; ok {
				sum += weight[j]
			}
		})
		if sum > 0 {
			out = append(out, Contribution{w, sum})
		}
	}
	sortContributions(out)
	return out[:min(k, len(out))]
}

// sortContributions orders the strongest first, ties by feature.
func sortContributions(out []Contribution) {
	sort.Slice(out, func(a, b int) bool {
		if out[a].Weight != out[b].Weight {
			return out[a].Weight > out[b].Weight
		}
		return out[a].Feature < out[b].Feature
	})
}
