package web

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"hotline"
	"hotline/wfm"
)

// questionKinds reads the 题型 column of an imported bank.
var questionKinds = map[string]string{"单选": wfm.QuestionSingle, "单选题": wfm.QuestionSingle, "多选": wfm.QuestionMultiple, "多选题": wfm.QuestionMultiple,
	"判断": wfm.QuestionTrue, "判断题": wfm.QuestionTrue, wfm.QuestionSingle: wfm.QuestionSingle, wfm.QuestionMultiple: wfm.QuestionMultiple, wfm.QuestionTrue: wfm.QuestionTrue}

// ParseQuestionBook reads a question bank from xlsx: the first sheet,
// a header row, then 题型, 题目, 选项A … 选项F, 答案 (the last column
// with a value is the answer); a bad row is refused naming it.
func ParseQuestionBook(r io.Reader, bank string) ([]wfm.Question, error) {
	x, err := excelize.OpenReader(r)
	if err != nil {
		return nil, hotline.Invalid("file", "无法读取 xlsx 文件")
	}
	defer x.Close()
	rows, err := x.GetRows(x.GetSheetName(0))
	if err != nil {
		return nil, hotline.Invalid("file", "无法读取 xlsx 文件")
	}
	var out []wfm.Question
	for i, row := range rows {
		if i == 0 || len(row) == 0 || strings.TrimSpace(strings.Join(row, "")) == "" {
			continue
		}
		for len(row) > 0 && strings.TrimSpace(row[len(row)-1]) == "" {
			row = row[:len(row)-1]
		}
		if len(row) < 3 {
			return nil, hotline.Invalid("file", "第 %d 行：至少要有题型、题目和答案", i+1)
		}
		kind, ok := questionKinds[strings.TrimSpace(row[0])]
		if !ok {
			return nil, hotline.Invalid("file", "第 %d 行：题型应为单选、多选或判断", i+1)
		}
		q := wfm.Question{Bank: bank, Kind: kind, Text: strings.TrimSpace(row[1]), Answer: row[len(row)-1]}
		for _, o := range row[2 : len(row)-1] {
			if o = strings.TrimSpace(o); o != "" {
				q.Options = append(q.Options, o)
			}
		}
		if err := q.Check(); err != nil {
			return nil, hotline.Invalid("file", "第 %d 行：%s", i+1, hotline.ErrorMessage(err))
		}
		out = append(out, q)
	}
	return out, nil
}

// handleAddQuestions is POST /api/v1/exams/{bank}/questions: a JSON list
// of questions, or an xlsx file (Content-Type of a spreadsheet).
func (s *Server) handleAddQuestions(w http.ResponseWriter, r *http.Request) {
	bank := r.PathValue("bank")
	var qs []wfm.Question
	if strings.Contains(r.Header.Get("Content-Type"), "spreadsheet") {
		var err error
		if qs, err = ParseQuestionBook(http.MaxBytesReader(w, r.Body, 10<<20), bank); err != nil {
			s.error(w, r, err)
			return
		}
	} else {
		var in struct {
			Questions []wfm.Question `json:"questions"`
		}
		if err := decode(r, &in); err != nil {
			s.error(w, r, err)
			return
		}
		qs = in.Questions
		for i := range qs {
			qs[i].Bank = bank
		}
	}
	n, err := s.DB.Workforce().AddQuestions(r.Context(), actorFrom(r), qs)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"added": n})
}

// handleStartExam is POST /api/v1/exams/{bank}/start: an attempt and its
// questions (without answers).
func (s *Server) handleStartExam(w http.ResponseWriter, r *http.Request) {
	e, err := s.DB.Workforce().StartExam(r.Context(), actorFrom(r), r.PathValue("bank"))
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, e)
}

// handleSubmitExam is POST /api/v1/exam-attempts/{id} {"answers":{"12":"A","13":"AC"}}.
func (s *Server) handleSubmitExam(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		s.error(w, r, hotline.Invalid("id", "考试编号应为数字"))
		return
	}
	var in struct {
		Answers map[string]string `json:"answers"`
	}
	if err := decode(r, &in); err != nil {
		s.error(w, r, err)
		return
	}
	answers := map[int64]string{}
	for k, v := range in.Answers {
		q, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			s.error(w, r, hotline.Invalid("answers", "答案的题号应为数字"))
			return
		}
		answers[q] = v
	}
	res, err := s.DB.Workforce().SubmitExam(r.Context(), actorFrom(r), id, answers)
	if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// examContent is the exam page: the questions of a new attempt, or the
// result of one handed in.
type examContent struct {
	Bank, BankName string
	Exam           any
	Result         any
	PassMark       int
	Letters        []string
}

var optionLetters = []string{"A", "B", "C", "D", "E", "F"}

func (s *Server) handleExamPage(w http.ResponseWriter, r *http.Request) {
	bank := r.PathValue("bank")
	s.show(w, r, http.StatusOK, "staff/exam", "考试", func(rf *ref) (any, error) {
		e, err := s.DB.Workforce().StartExam(r.Context(), actorFrom(r), bank)
		if err != nil {
			return nil, err
		}
		return &examContent{Bank: bank, BankName: wfm.BankNames[bank], Exam: e, PassMark: wfm.PassMark, Letters: optionLetters}, nil
	})
}

// handleExamForm grades the page's answers: one field per question,
// q<ID>, a letter each (several for multiple choice).
func (s *Server) handleExamForm(w http.ResponseWriter, r *http.Request) {
	bank := r.PathValue("bank")
	id, err := strconv.ParseInt(r.PathValue("attempt"), 10, 64)
	if err != nil {
		s.errorPage(w, r, hotline.Invalid("attempt", "考试编号应为数字"))
		return
	}
	r.ParseForm()
	answers := map[int64]string{}
	for k, v := range r.PostForm {
		if q, err := strconv.ParseInt(strings.TrimPrefix(k, "q"), 10, 64); err == nil && strings.HasPrefix(k, "q") {
			answers[q] = strings.Join(v, "")
		}
	}
	res, err := s.DB.Workforce().SubmitExam(r.Context(), actorFrom(r), id, answers)
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	s.show(w, r, http.StatusOK, "staff/exam", "考试", func(rf *ref) (any, error) {
		return &examContent{Bank: bank, BankName: wfm.BankNames[bank], Result: res, PassMark: wfm.PassMark}, nil
	})
}

// handleQuestionsForm imports an xlsx bank from the staff page.
func (s *Server) handleQuestionsForm(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseMultipartForm(10 << 20); err != nil {
		s.errorPage(w, r, hotline.Invalid("file", "请选择 xlsx 文件（不超过 10 MB）"))
		return
	}
	f, _, err := r.FormFile("file")
	if err != nil {
		s.errorPage(w, r, hotline.Invalid("file", "请选择 xlsx 文件（不超过 10 MB）"))
		return
	}
	defer f.Close()
	bank := r.PostFormValue("bank")
	qs, err := ParseQuestionBook(f, bank)
	if err == nil {
		_, err = s.DB.Workforce().AddQuestions(r.Context(), actorFrom(r), qs)
	}
	if err != nil {
		s.errorPage(w, r, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/staff?done=1&imported=%d", len(qs)), http.StatusSeeOther)
}
