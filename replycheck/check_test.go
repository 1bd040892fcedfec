package replycheck_test

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"hotline/replycheck"
)

func TestCheck_Examples(t *testing.T) {
	var c replycheck.Checker
	complete := "网友您好！您的留言已收悉。现将有关情况回复如下：经查，您反映的凤凰街停水系主管爆裂所致。萍乡水务公司已于11月30日组织抢修，" +
		"更换破损管段12米，当日18时恢复供水；抢修期间安排送水车在小区门口供水，并在公告栏张贴停水原因和抢修进度。" +
		"同时对该片区老旧管网进行排查，共发现锈蚀管段3处，已列入改造计划，计划于明年3月前完成改造，届时将提前发布停水通知。感谢您对我们工作的支持！"
	if f := c.Check("凤凰街停水", "", complete); replycheck.Incomplete(f) {
		t.Errorf("a complete reply flagged: %+v", f)
	}
	for _, bad := range []struct{ title, reply, want string }{
		{"凤凰街停水", "您好！您的留言已收悉。感谢您对我们工作的支持！", replycheck.Short},
		{"凤凰街停水", "您好！关于凤凰街停水，请您拨打水务公司客服电话0799-6888888咨询。", replycheck.PhoneOnly},
		{"凤凰街停水", "您好！凤凰街停水一事我们高度重视，感谢您的关注，欢迎继续监督。", replycheck.NoAction},
		{"公园路噪音扰民", "您好！经查，学校已于周一开学，正常上课，课程安排符合教育部门规定，已告知家长按时接送，后续将持续关注，如有疑问可随时向学校反映，谢谢。" +
			"学校共有学生一千二百名，教职工八十人，均已落实到位，安全管理制度已经健全完善。", replycheck.OffTopic},
	} {
		found := false
		for _, f := range c.Check(bad.title, "", bad.reply) {
			found = found || f.Code == bad.want
		}
		if !found {
			t.Errorf("%q: no %s flag (%+v)", bad.reply, bad.want, c.Check(bad.title, "", bad.reply))
		}
	}
}

type labelled struct {
	Title    string `json:"留言主题"`
	Content  string `json:"留言详情"`
	Reply    string `json:"答复意见"`
	Complete string `json:"完整性指标"`
}

// TestCheck_Labelled measures the check on the 100 replies one team
// labelled for completeness (../shared/data, not in the repository; the
// test is skipped where it is absent): the threshold is chosen by 5-fold
// cross-validation (on four folds, measured on the fifth), so the figures
// are out of sample. It fails if the check falls below what simply
// calling every reply complete would score.
func TestCheck_Labelled(t *testing.T) {
	path := os.Getenv("HOTLINE_REPLIES_LABELLED")
	if path == "" {
		path = filepath.Join("..", "..", "shared", "data", "tipdm2020c", "replies_100_labeled.jsonl")
	}
	f, err := os.Open(path)
	if err != nil {
		t.Skipf("labelled replies not here (%v)", err)
	}
	defer f.Close()
	var rows []labelled
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var r labelled
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, r)
	}
	lengthOnly := false // the comparison: the length rule alone
	incomplete := func(c replycheck.Checker, r labelled) bool {
		flags := c.Check(r.Title, r.Content, r.Reply)
		if lengthOnly {
			for _, f := range flags {
				if f.Code == replycheck.Short {
					return true
				}
			}
			return false
		}
		return replycheck.Incomplete(flags)
	}
	type counts struct{ tp, fp, fn, tn int }
	score := func(c replycheck.Checker, rs []labelled) counts {
		var k counts
		for _, r := range rs {
			pred, truth := incomplete(c, r), r.Complete == "0"
			switch {
			case pred && truth:
				k.tp++
			case pred:
				k.fp++
			case truth:
				k.fn++
			default:
				k.tn++
			}
		}
		return k
	}
	acc := func(k counts) float64 { return float64(k.tp+k.tn) / float64(k.tp+k.tn+k.fp+k.fn) }
	crossValidate := func() (counts, []int) {
		var total counts
		var chosen []int
		for fold := 0; fold < 5; fold++ {
			var train, test []labelled
			for i, r := range rows {
				if i%5 == fold {
					test = append(test, r)
				} else {
					train = append(train, r)
				}
			}
			best, bestAcc := 0, -1.0
			for th := 60; th <= 300; th += 20 {
				if a := acc(score(replycheck.Checker{MinSubstance: th}, train)); a > bestAcc {
					best, bestAcc = th, a
				}
			}
			chosen = append(chosen, best)
			k := score(replycheck.Checker{MinSubstance: best}, test)
			total.tp, total.fp, total.fn, total.tn = total.tp+k.tp, total.fp+k.fp, total.fn+k.fn, total.tn+k.tn
		}
		return total, chosen
	}
	lengthOnly = true
	byLength, _ := crossValidate()
	lengthOnly = false
	total, chosen := crossValidate()
	precision := float64(total.tp) / float64(max(1, total.tp+total.fp))
	recall := float64(total.tp) / float64(max(1, total.tp+total.fn))
	base := float64(total.tn+total.fp) / float64(len(rows)) // every reply called complete
	t.Logf("%d replies, %d labelled incomplete; thresholds chosen per fold %v", len(rows), total.tp+total.fn, chosen)
	t.Logf("cross-validated: accuracy %.2f (all-complete baseline %.2f), precision %.2f, recall %.2f (incomplete = positive)", acc(total), base, precision, recall)
	t.Logf("the length rule alone, cross-validated: accuracy %.2f, precision %.2f, recall %.2f", acc(byLength),
		float64(byLength.tp)/float64(max(1, byLength.tp+byLength.fp)), float64(byLength.tp)/float64(max(1, byLength.tp+byLength.fn)))
	full := score(replycheck.Checker{}, rows)
	t.Logf("the shipped threshold %d on all 100: accuracy %.2f, tp %d fp %d fn %d tn %d", replycheck.DefaultMinSubstance, acc(full), full.tp, full.fp, full.fn, full.tn)
	if acc(total) <= base {
		t.Errorf("cross-validated accuracy %.2f is no better than calling every reply complete (%.2f)", acc(total), base)
	}
}
