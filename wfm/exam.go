package wfm

import (
	"math/rand/v2"
	"sort"
	"strings"
	"unicode/utf8"

	"hotline"
)

// Exams (考试): a question bank per course — single and multiple choice,
// true/false — from which an exam draws its questions; scored out of 100
// at once, passed at PassMark. Passing the onboarding exam (上岗考试) is
// the certification the gate asks for.

// Banks (the courses whose exams there are).
const (
	BankOnboarding      = "onboarding"      // 上岗培训：热线专业知识、服务礼仪及规范
	BankMonthly         = "monthly"         // 月度业务培训
	BankConfidentiality = "confidentiality" // 保密培训
)

// BankNames name the banks.
var BankNames = map[string]string{BankOnboarding: "上岗培训考试", BankMonthly: "月度业务考试", BankConfidentiality: "保密培训考试"}

// Question kinds.
const (
	QuestionSingle   = "single"     // 单选
	QuestionMultiple = "multiple"   // 多选
	QuestionTrue     = "true_false" // 判断
)

// PassMark is the score that passes an exam; ExamSize the questions an
// exam draws.
const (
	PassMark = 80
	ExamSize = 10
)

// Question is a question of a bank. Answer holds the right options'
// letters (A, B …), sorted, joined without separators ("AC"); a
// true/false question has the options 正确 and 错误.
type Question struct {
	ID      int64    `json:"id"`
	Bank    string   `json:"bank"`
	Kind    string   `json:"kind"`
	Text    string   `json:"text"`
	Options []string `json:"options"`
	Answer  string   `json:"answer,omitempty"`
}

// Check refuses a question that makes no sense, naming the field.
func (q *Question) Check() error {
	if _, ok := BankNames[q.Bank]; !ok {
		return hotline.Invalid("bank", "题库应为 onboarding、monthly 或 confidentiality")
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(q.Text)); n == 0 || n > 500 {
		return hotline.Invalid("text", "题目不能为空且不超过500字")
	}
	if q.Kind == QuestionTrue {
		q.Options = []string{"正确", "错误"}
	}
	if len(q.Options) < 2 || len(q.Options) > 6 {
		return hotline.Invalid("options", "选项应有 2 到 6 个")
	}
	for _, o := range q.Options {
		if strings.TrimSpace(o) == "" || utf8.RuneCountInString(o) > 200 {
			return hotline.Invalid("options", "选项不能为空且不超过200字")
		}
	}
	letters := normalLetters(q.Answer)
	for _, l := range letters {
		if int(l-'A') >= len(q.Options) {
			return hotline.Invalid("answer", "答案 %c 不在选项中", l)
		}
	}
	switch q.Kind {
	case QuestionSingle, QuestionTrue:
		if len(letters) != 1 {
			return hotline.Invalid("answer", "单选题和判断题只有一个答案")
		}
	case QuestionMultiple:
		if len(letters) < 2 {
			return hotline.Invalid("answer", "多选题至少有两个答案")
		}
	default:
		return hotline.Invalid("kind", "题型应为 single、multiple 或 true_false")
	}
	q.Answer = letters
	return nil
}

// normalLetters is an answer's letters, upper case, each once, sorted
// ("c, a" → "AC"; 对/正确 → A, 错/错误 → B for true/false).
func normalLetters(s string) string {
	s = strings.TrimSpace(s)
	switch s {
	case "对", "正确", "√", "是":
		return "A"
	case "错", "错误", "×", "否":
		return "B"
	}
	seen := map[rune]bool{}
	var out []rune
	for _, r := range strings.ToUpper(s) {
		if r >= 'A' && r <= 'Z' && !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return string(out)
}

// Draw picks an exam's questions from the bank: ExamSize of them (all
// when fewer), in random order.
func Draw(bank []Question, rng *rand.Rand) []Question {
	out := append([]Question(nil), bank...)
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	if len(out) > ExamSize {
		out = out[:ExamSize]
	}
	return out
}

// Grade scores answers (question id → the letters chosen) against the
// questions: each question right in full counts the same; a multiple
// choice question half right counts nothing.
func Grade(questions []Question, answers map[int64]string) (score int, passed bool) {
	if len(questions) == 0 {
		return 0, false
	}
	right := 0
	for _, q := range questions {
		if normalLetters(answers[q.ID]) == q.Answer {
			right++
		}
	}
	score = (right*100 + len(questions)/2) / len(questions)
	return score, score >= PassMark
}
