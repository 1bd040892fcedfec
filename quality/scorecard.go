// Package quality is quality inspection (质检) and its rectification loop
// (整改): scorecards, the inspection's state machine and score, the
// objection (申诉), the draw of sampled inspections and the rectification
// steps. Pure: no I/O, no clock (times are passed in).
package quality

import (
	"fmt"
	"strings"

	"hotline"
)

// Target is what a scorecard inspects: a call (its recording) or a ticket.
type Target string

// Targets.
const (
	TargetCall   Target = "call"
	TargetTicket Target = "ticket"
)

var targetNames = map[Target]string{TargetCall: "通话", TargetTicket: "工单"}

// Label is the target in Chinese.
func (t Target) Label() string { return targetNames[t] }

// Item is one line of a scorecard: full marks Points, or, for a fatal item
// (致命项), no points but a failure that zeroes the inspection.
type Item struct {
	Key     string `json:"key"` // stable within a card's versions, e.g. "greeting"
	Section string `json:"section"`
	Name    string `json:"name"`
	Points  int    `json:"points"` // 0 for a fatal item
	Fatal   bool   `json:"fatal"`
	Hint    string `json:"hint,omitempty"` // what earns or loses the points
}

// Scorecard is a versioned form an inspection fills (质检评分表). A new
// version replaces the old for new inspections; inspections keep the
// version they were scored on.
type Scorecard struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	Target    Target `json:"target"`
	Version   int    `json:"version"`
	PassScore int    `json:"pass_score"` // at least this (and no fatal item) passes
	Items     []Item `json:"items"`
	Active    bool   `json:"active"`
}

// MaxItems bounds a scorecard.
const MaxItems = 60

// Validate checks a card, naming the first bad field: a name, a target,
// items with unique keys, a section and a name each, the non-fatal items' points summing
// to 100, a pass score in 1..100.
func (c *Scorecard) Validate() error {
	c.Name = hotline.TrimText(c.Name)
	switch {
	case c.Name == "" || len([]rune(c.Name)) > 50:
		return hotline.Invalid("name", "评分表名称必填，不超过50字")
	case c.Target != TargetCall && c.Target != TargetTicket:
		return hotline.Invalid("target", "评分对象应为 call（通话）或 ticket（工单）")
	case len(c.Items) == 0 || len(c.Items) > MaxItems:
		return hotline.Invalid("items", "评分项应有 1 到 %d 项", MaxItems)
	case c.PassScore < 1 || c.PassScore > 100:
		return hotline.Invalid("pass_score", "合格分应为 1 到 100")
	}
	keys, total := map[string]bool{}, 0
	for i := range c.Items {
		it := &c.Items[i]
		it.Key, it.Section, it.Name, it.Hint = strings.TrimSpace(it.Key), hotline.TrimText(it.Section), hotline.TrimText(it.Name), hotline.TrimText(it.Hint)
		field := fmt.Sprintf("items[%d]", i)
		switch {
		case it.Key == "" || len(it.Key) > 40 || strings.ContainsAny(it.Key, " \t/"):
			return hotline.Invalid(field+".key", "第 %d 项缺少编码（字母数字，不含空格）", i+1)
		case keys[it.Key]:
			return hotline.Invalid(field+".key", "第 %d 项的编码 %s 重复", i+1, it.Key)
		case it.Name == "" || it.Section == "":
			return hotline.Invalid(field+".name", "第 %d 项须有分组和名称", i+1)
		case it.Fatal && it.Points != 0:
			return hotline.Invalid(field+".points", "致命项不计分（第 %d 项）", i+1)
		case !it.Fatal && (it.Points < 1 || it.Points > 100):
			return hotline.Invalid(field+".points", "第 %d 项分值应为 1 到 100", i+1)
		}
		keys[it.Key] = true
		total += it.Points
	}
	if total != 100 {
		return hotline.Invalid("items", "各项分值合计应为 100 分，现为 %d 分", total)
	}
	return nil
}

// Item returns the card's item with the key.
func (c *Scorecard) Item(key string) (Item, bool) {
	for _, it := range c.Items {
		if it.Key == key {
			return it, true
		}
	}
	return Item{}, false
}

// Mark is an inspector's verdict on one item: the points given (0..the
// item's), or for a fatal item whether it happened; a comment says why.
type Mark struct {
	Key     string `json:"key"`
	Points  int    `json:"points"`
	Failed  bool   `json:"failed,omitempty"` // a fatal item that happened
	Comment string `json:"comment,omitempty"`
}

// Outcome is a scored inspection: the score out of 100, whether a fatal
// item zeroed it, whether it passed.
type Outcome struct {
	Score  int  `json:"score"`
	Fatal  bool `json:"fatal"`
	Passed bool `json:"passed"`
}

// Score checks marks against the card and totals them: an item not marked
// gets full marks (an inspector marks only what went wrong); a failed
// fatal item makes the score 0. The marks come back complete, in the
// card's order.
func (c *Scorecard) Score(marks []Mark) ([]Mark, Outcome, error) {
	given := map[string]Mark{}
	for i, m := range marks {
		it, ok := c.Item(m.Key)
		field := fmt.Sprintf("marks[%d]", i)
		switch {
		case !ok:
			return nil, Outcome{}, hotline.Invalid(field+".key", "评分表没有“%s”这一项", m.Key)
		case !it.Fatal && (m.Points < 0 || m.Points > it.Points):
			return nil, Outcome{}, hotline.Invalid(field+".points", "“%s”的得分应为 0 到 %d", it.Name, it.Points)
		case it.Fatal && m.Points != 0:
			return nil, Outcome{}, hotline.Invalid(field+".points", "致命项“%s”不计分，只记是否发生", it.Name)
		case !it.Fatal && m.Failed:
			return nil, Outcome{}, hotline.Invalid(field+".failed", "“%s”不是致命项", it.Name)
		}
		if err := hotline.CheckInput(field+".comment", m.Comment); err != nil {
			return nil, Outcome{}, err
		}
		m.Comment = hotline.TrimText(m.Comment)
		if len([]rune(m.Comment)) > 500 {
			return nil, Outcome{}, hotline.Invalid(field+".comment", "评语不超过500字")
		}
		given[m.Key] = m
	}
	var out []Mark
	var o Outcome
	for _, it := range c.Items {
		m, ok := given[it.Key]
		if !ok {
			m = Mark{Key: it.Key, Points: it.Points}
		}
		if it.Fatal && m.Failed {
			o.Fatal = true
		}
		o.Score += m.Points
		out = append(out, m)
	}
	if o.Fatal {
		o.Score = 0
	}
	o.Passed = !o.Fatal && o.Score >= c.PassScore
	return out, o, nil
}

// DefaultCards are the 100-point cards that ship with the product: one
// for calls, one for tickets, each with fatal items.
func DefaultCards() []Scorecard {
	return []Scorecard{
		{Name: "话务质检评分表", Target: TargetCall, Version: 1, PassScore: 80, Active: true, Items: []Item{
			{Key: "greeting", Section: "服务规范", Name: "规范开头语、结束语", Points: 10, Hint: "“您好，12345 为您服务”，结束时确认无其他诉求"},
			{Key: "wording", Section: "服务规范", Name: "用语文明规范", Points: 10, Hint: "不用口头禅、方言俚语，不推诿"},
			{Key: "patience", Section: "服务规范", Name: "耐心倾听、不打断", Points: 10},
			{Key: "elements", Section: "业务能力", Name: "诉求要素记录准确完整", Points: 20, Hint: "时间、地点、人物、事件、诉求"},
			{Key: "answer", Section: "业务能力", Name: "答复准确、依据知识库", Points: 20, Hint: "政策口径与知识库一致，不随意承诺"},
			{Key: "category", Section: "业务能力", Name: "分类与派单单位正确", Points: 15},
			{Key: "efficiency", Section: "业务能力", Name: "通话高效，控制时长", Points: 15, Hint: "不做无关交谈；复杂诉求及时转工单"},
			{Key: "privacy", Section: "信息安全", Name: "泄露来电人信息", Fatal: true, Hint: "向无关人员透露来电人姓名、号码、住址"},
			{Key: "argue", Section: "服务规范", Name: "与市民争吵、辱骂", Fatal: true},
		}},
		{Name: "工单质检评分表", Target: TargetTicket, Version: 1, PassScore: 80, Active: true, Items: []Item{
			{Key: "title", Section: "工单质量", Name: "标题概括准确", Points: 10},
			{Key: "content", Section: "工单质量", Name: "内容完整、表述清楚", Points: 25, Hint: "要素齐全，转述不走样"},
			{Key: "location", Section: "工单质量", Name: "地点准确到可办理", Points: 15},
			{Key: "urgency", Section: "工单质量", Name: "紧急程度与诉求类型正确", Points: 10},
			{Key: "category", Section: "业务能力", Name: "分类正确", Points: 15},
			{Key: "unit", Section: "业务能力", Name: "承办单位正确", Points: 15},
			{Key: "kb", Section: "业务能力", Name: "可直接答复的已依据知识库答复", Points: 10},
			{Key: "privacy", Section: "信息安全", Name: "工单内容泄露来电人信息", Fatal: true, Hint: "保密诉求在内容中写明身份、号码"},
		}},
	}
}
