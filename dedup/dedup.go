// Package dedup finds appeals about the same place and problem (重复诉求,
// candidates for 并单): two texts are compared by the cosine of their
// character-bigram counts, the title counting twice, after the same
// normalisation the dispatch model uses, each bigram weighted by its
// inverse document frequency in a sample of the hotline's appeals (so
// that 小区, 问题 and 反映, in every appeal, count less than a place name).
package dedup

import (
	"math"
	"unicode"

	"hotline/classify"
)

// Threshold is the weighted similarity from which two appeals are
// proposed as duplicates. On the two labelled sets of pairs
// (dedup_test.go) it gives precision 0.79 and 0.92, recall 0.77 and 0.89:
// a proposal, which the dispatcher confirms or not, should rather show
// one too many than miss one.
const Threshold = 0.35

// Vector is an appeal's character bigrams with their counts.
type Vector map[string]float64

// Of returns the vector of a title and its content (the first 500
// characters: the place and the problem come first).
func Of(title, content string) Vector {
	v := Vector{}
	add := func(s string, w float64) {
		var prev rune
		for _, r := range []rune(classify.Normalize(s)) {
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				prev = 0
				continue
			}
			if prev != 0 {
				v[string([]rune{prev, r})] += w
			}
			prev = r
		}
	}
	add(title, 2)
	if r := []rune(content); len(r) > 500 {
		content = string(r[:500])
	}
	add(content, 1)
	return v
}

// Similarity is the cosine of two vectors, 0 to 1.
func Similarity(a, b Vector) float64 {
	if len(a) > len(b) {
		a, b = b, a
	}
	var dot, na, nb float64
	for k, x := range a {
		dot += x * b[k]
		na += x * x
	}
	for _, y := range b {
		nb += y * y
	}
	if na == 0 || nb == 0 {
		return 0
	}
	return dot / math.Sqrt(na*nb)
}

// Weights are the document frequencies of bigrams in a sample of appeals,
// for inverse-document-frequency weights. The zero value (and nil) weighs
// every bigram 1. Safe for concurrent use once filled.
type Weights struct {
	n  float64
	df map[string]float64
}

// Add counts one appeal of the sample. Not safe for concurrent use.
func (w *Weights) Add(v Vector) {
	if w.df == nil {
		w.df = map[string]float64{}
	}
	w.n++
	for k := range v {
		w.df[k]++
	}
}

// Len is the number of appeals in the sample.
func (w *Weights) Len() int {
	if w == nil {
		return 0
	}
	return int(w.n)
}

// Weigh returns v with each count multiplied by the bigram's smoothed
// inverse document frequency, ln((n+1)/(df+1)) + 1: 1 for a bigram in
// every appeal of the sample, most for one in none.
func (w *Weights) Weigh(v Vector) Vector {
	if w == nil || w.n == 0 {
		return v
	}
	out := make(Vector, len(v))
	for k, c := range v {
		out[k] = c * (math.Log((w.n+1)/(w.df[k]+1)) + 1)
	}
	return out
}
