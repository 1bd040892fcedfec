// Package replycheck is the reply quality check (答复质量): before the
// centre approves a unit's reply, it flags replies that look incomplete —
// too short to say what was done, no action or result stated, only a
// phone number to call, none of the appeal's points answered — with the
// reasons. A small rule engine: no I/O, nothing of the project but the
// text; measured on labelled replies (see docs/benchmarks.md).
package replycheck

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Flag is one reason a reply looks incomplete. A strong flag makes the
// reply incomplete (Incomplete); the others are hints for the reviewer.
type Flag struct {
	Code   string `json:"code"`
	Reason string `json:"reason"`
	Strong bool   `json:"strong"`
}

// Incomplete reports whether flags hold a strong one.
func Incomplete(flags []Flag) bool {
	for _, f := range flags {
		if f.Strong {
			return true
		}
	}
	return false
}

// demands are the appeals that ask for something to be done (a complaint,
// a report, a repair): their reply must say what was.
var demands = regexp.MustCompile(`投诉|举报|维修|整治|处理|扰民|违规|违法|乱收费|拖欠|不作为`)

// Flag codes.
const (
	Short     = "short"      // too little beyond the greeting and the thanks
	NoAction  = "no_action"  // no measure taken or result stated
	PhoneOnly = "phone_only" // refers the citizen to a phone number instead
	OffTopic  = "off_topic"  // none of the appeal's points is taken up
)

var reasons = map[string]string{
	Short:     "答复过短，未说明调查和办理情况",
	NoAction:  "未说明采取的措施或办理结果",
	PhoneOnly: "只让市民自行拨打电话，未答复诉求本身",
	OffTopic:  "未回应诉求的要点",
}

// Reason is a flag's reason in Chinese.
func Reason(code string) string { return reasons[code] }

// Checker holds the rule's thresholds.
type Checker struct {
	// MinSubstance is the fewest characters of substance (the reply
	// without its greeting, stock phrases and thanks) of a complete
	// reply; DefaultMinSubstance unless set.
	MinSubstance int
}

// DefaultMinSubstance is the threshold chosen by cross-validation on the
// labelled replies (docs/benchmarks.md).
const DefaultMinSubstance = 140

// stock phrases carry no substance: greetings, acknowledgements, thanks.
var stock = regexp.MustCompile(`(网友|市民|同志|先生|女士)?[“"]?[A-Za-z0-9]*[”"]?[，,：:]?\s*(你|您)好[！!，,。]?|` +
	`(您|你)的(留言|来信|诉求)(已)?收悉[。，,！!]?|现(将|就)?(有关|相关|具体)?(情况|内容)?(回复|答复)如下[：:]?|` +
	`感谢您?对我们工作的(关心|支持|信任|理解|监督)[、，,和与及理解支持监督信任关心]*[！!。]?|` +
	`(首先)?感谢您?的?(信任|支持|关注)[！!。，,]?|欢迎(继续)?(监督|关注)[！!。]?|特此(回复|答复)[。！!]?`)

// action words say what was done or found, or what will be.
var action = regexp.MustCompile(`经(查|核实|调查|了解|现场)|已(经)?(于|组织|安排|责成|要求|完成|处理|整改|修复|解决|落实|督促|联系|开展|办结|纳入|启动)|` +
	`(调查|核实|处理|整改|修复|清理|查处|督促|协调|安排|落实|开展|约谈|责令|拆除|维修|更换|办理)|` +
	`(将|计划|预计|拟)(于|在)?.{0,12}(完成|启动|实施|开工|建设|推进|解决|处理)|根据《|按照《|依据《`)

var phone = regexp.MustCompile(`(拨打|致电|联系|咨询)[^。]{0,20}(电话|热线)|\d{3,4}-?\d{7,8}|1[3-9]\d{9}`)

// weak words of an appeal's title say nothing of its subject.
var weak = []string{"问题", "反映", "关于", "请求", "希望", "建议", "投诉", "咨询", "举报", "要求", "尽快", "解决", "为什么", "怎么", "如何", "能否", "是否", "一下", "相关", "情况", "严重", "太", "很", "的", "了", "吗", "呢"}

// substance is the reply without stock phrases and blanks.
func substance(reply string) string {
	s := stock.ReplaceAllString(reply, "")
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// terms are the title's content bigrams (CJK pairs, and ASCII words).
func terms(title string) []string {
	for _, w := range weak {
		title = strings.ReplaceAll(title, w, " ")
	}
	var out []string
	var run []rune
	flush := func() {
		for i := 0; i+1 < len(run); i++ {
			out = append(out, string(run[i:i+2]))
		}
		run = run[:0]
	}
	for _, r := range title {
		if unicode.Is(unicode.Han, r) {
			run = append(run, r)
			continue
		}
		flush()
	}
	flush()
	return out
}

// Check flags what a reply to an appeal (its title and content) lacks;
// no strong flag: it looks complete. Too short, and only a phone number,
// are strong; no action stated is strong for an appeal that asks for
// something to be done; not taking up the title's words is a hint.
func (c Checker) Check(title, content, reply string) []Flag {
	min := c.MinSubstance
	if min == 0 {
		min = DefaultMinSubstance
	}
	sub := substance(reply)
	n := utf8.RuneCountInString(sub)
	var flags []Flag
	add := func(code string, strong bool) {
		flags = append(flags, Flag{Code: code, Reason: reasons[code], Strong: strong})
	}
	if n < min {
		add(Short, true)
	}
	if !action.MatchString(sub) {
		add(NoAction, demands.MatchString(title+content))
	}
	if phone.MatchString(sub) && n < 2*min && !strings.Contains(sub, "经查") && !strings.Contains(sub, "核实") {
		add(PhoneOnly, true)
	}
	if ts := terms(title); len(ts) >= 2 {
		hit := 0
		for _, t := range ts {
			if strings.Contains(sub, t) {
				hit++
			}
		}
		if hit == 0 && !strings.Contains(sub, "您反映") && !strings.Contains(sub, "您所反映") {
			add(OffTopic, false)
		}
	}
	return flags
}
