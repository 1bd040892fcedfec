package disclosure_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"hotline/disclosure"
)

// redactionSet is written for the measure: appeals as citizens and
// agents write them, each with the personal data it holds (which must
// be gone after redaction) and the requester's protected fields as the
// ticket keeps them.
var redactionSet = []struct {
	text  string
	known disclosure.Known
	pii   []string
}{
	{"来电人王五反映凤凰街2号楼3单元502室楼上漏水，联系电话13912345678。", disclosure.Known{Names: []string{"王五"}, Phones: []string{"13912345678"}},
		[]string{"王五", "2号楼3单元502室", "13912345678"}},
	{"市民李女士称其车辆赣J·12345被违停贴条，要求核实。", disclosure.Known{Names: []string{"李红"}}, []string{"李", "赣J·12345"}},
	{"我叫张伟，身份证号360302199001011234，社保卡一直办不下来。", disclosure.Known{Names: []string{"张伟"}}, []string{"张伟", "360302199001011234"}},
	{"业主陈刚反映金典城小区5栋1203物业乱收费，电话0799-6812345。", disclosure.Known{Names: []string{"陈刚"}, Phones: []string{"07996812345"}},
		[]string{"陈刚", "5栋1203", "0799-6812345"}},
	{"联系人：刘洋，手机 139 0799 1234，邮箱 liuyang@example.com。", disclosure.Known{Names: []string{"刘洋"}}, []string{"刘洋", "139 0799 1234", "liuyang@example.com"}},
	{"安源区后埠街12-3-401住户反映夜间施工噪音，请尽快处理。", disclosure.Known{Addresses: []string{"安源区后埠街12-3-401"}}, []string{"12-3-401"}},
	{"周先生反映公交K1路经常不按时发车，希望加密班次。", disclosure.Known{Names: []string{"周建"}}, []string{"周"}},
	{"来电人称本人的手机号+86 13807991234被他人冒用注册。", disclosure.Known{Phones: []string{"13807991234"}}, []string{"+86 13807991234"}},
	{"市民反映芦溪县宣风镇路灯不亮，已有一个月。", disclosure.Known{}, nil},
	{"吴阿姨反映小区电梯经常停运，住在3幢2单元601。", disclosure.Known{Names: []string{"吴桂兰"}}, []string{"吴", "3幢2单元601"}},
	{"郑佳女士的孩子在萍乡三中就读，反映校门口交通拥堵。", disclosure.Known{Names: []string{"郑佳"}}, []string{"郑佳"}},
	{"来电人黄敏（身份证36030219850612002X）反映医保报销比例有误。", disclosure.Known{Names: []string{"黄敏"}}, []string{"黄敏", "36030219850612002X"}},
	{"反映湘东区峡山口街道垃圾清运不及时，联系人孙师傅，电话15979912345。", disclosure.Known{Phones: []string{"15979912345"}}, []string{"孙", "15979912345"}},
	{"姓名：钟磊，诉求：公积金提取材料一直被退回。", disclosure.Known{Names: []string{"钟磊"}}, []string{"钟磊"}},
	{"何静反映莲花县琴亭镇自来水浑浊，请检测水质。", disclosure.Known{Names: []string{"何静"}}, []string{"何静"}},
	{"车牌号赣JD12345的网约车司机绕路多收费。", disclosure.Known{}, []string{"赣JD12345"}},
	{"彭雪反映其母亲彭老师退休金发放延迟。", disclosure.Known{Names: []string{"彭雪"}}, []string{"彭雪", "彭"}},
	{"来电人称其住址为上栗县上栗镇东源路88号，门口下水道堵塞。", disclosure.Known{Addresses: []string{"上栗县上栗镇东源路88号"}}, []string{"上栗县上栗镇东源路88号"}},
	{"邓慧反映，联系方式：微信同号 18879912345。", disclosure.Known{Names: []string{"邓慧"}, Phones: []string{"18879912345"}}, []string{"邓慧", "18879912345"}},
	{"袁芳反映城管执法人员态度粗暴，执法证号不清楚。", disclosure.Known{Names: []string{"袁芳"}}, []string{"袁芳"}},
	{"建议在萍乡北站增设出租车候车标识。", disclosure.Known{}, nil},
	{"文杰的父亲文大爷独居，申请居家养老服务。", disclosure.Known{Names: []string{"文杰"}}, []string{"文杰", "文"}},
	{"肖宇反映房东不退押金，房东电话13607991111。", disclosure.Known{Names: []string{"肖宇"}}, []string{"肖宇", "13607991111"}},
	{"来电人：谭静，反映小区门口占道经营。", disclosure.Known{Names: []string{"谭静"}}, []string{"谭静"}},
	{"龙飞反映其居住的1号楼1单元101室墙体开裂。", disclosure.Known{Names: []string{"龙飞"}}, []string{"龙飞", "1号楼1单元101室"}},
	{"易琳称快递员多次将包裹放在门口丢失，快递单号不便提供。", disclosure.Known{Names: []string{"易琳"}}, []string{"易琳"}},
	{"反映安源区凤凰街道停水两天，无人处理。", disclosure.Known{}, nil},
	{"曾凡反映其身份证号码360302197512150017遗失后被冒用。", disclosure.Known{Names: []string{"曾凡"}}, []string{"曾凡", "360302197512150017"}},
	{"蒋涛先生反映座机6887766长期无信号。", disclosure.Known{Names: []string{"蒋涛"}}, []string{"蒋涛", "6887766"}},
	{"谢敏反映医院挂号难，希望增加号源。", disclosure.Known{Names: []string{"谢敏"}}, []string{"谢敏"}},
}

// TestRedact_Set measures recall (the personal data gone) and precision
// (of the characters masked, the share that was personal data) on the
// written set; recall must be complete.
func TestRedact_Set(t *testing.T) {
	items, caught := 0, 0
	maskedPII, masked := 0, 0
	for _, c := range redactionSet {
		out, _ := disclosure.Redact(c.text, c.known)
		if utf8.RuneCountInString(out) != utf8.RuneCountInString(c.text) {
			t.Errorf("length changed: %q → %q", c.text, out)
		}
		// Mark which characters of the text are personal data.
		pii := make([]bool, utf8.RuneCountInString(c.text))
		runes := []rune(c.text)
		for _, p := range c.pii {
			items++
			i := strings.Index(c.text, p)
			if i < 0 {
				t.Fatalf("%q is not in %q", p, c.text)
			}
			start := utf8.RuneCountInString(c.text[:i])
			n := utf8.RuneCountInString(p)
			for k := start; k < start+n; k++ {
				pii[k] = true
			}
			if strings.Contains(out, p) || strings.Contains(string([]rune(out)[start:start+n]), strings.TrimSpace(string(runes[start:start+n]))) {
				t.Errorf("kept %q: %s", p, out)
				continue
			}
			caught++
		}
		for k, r := range []rune(out) {
			if r == '*' && runes[k] != '*' {
				masked++
				if pii[k] {
					maskedPII++
				}
			}
		}
	}
	recall := float64(caught) / float64(items)
	precision := float64(maskedPII) / float64(max(masked, 1))
	t.Logf("redaction on %d texts: recall %.3f (%d of %d items), precision %.3f (%d of %d masked characters)",
		len(redactionSet), recall, caught, items, precision, maskedPII, masked)
	if recall < 1 {
		t.Errorf("recall %.3f: every item of personal data must go", recall)
	}
	if precision < 0.8 {
		t.Errorf("precision %.3f", precision)
	}
}
