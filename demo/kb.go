package demo

import (
	"context"
	_ "embed"
	"fmt"
	"strings"
	"time"

	"hotline"
	"hotline/sqldb"
)

//go:embed kb_articles.txt
var kbArticlesText string

//go:embed kb_relevance.txt
var kbRelevanceText string

// RelevanceCase is a caller's words and the titles of the demo articles
// that answer them (kb_relevance.txt): the relevance set of the tests and
// the queries of the search benchmark.
type RelevanceCase struct {
	Query  string
	Titles []string
}

//go:embed kb_assist.txt
var kbAssistText string

// KBRelevance returns the relevance set.
func KBRelevance() ([]RelevanceCase, error) {
	return relevanceCases("kb_relevance.txt", kbRelevanceText)
}

// KBAssist returns the agent-assist set (kb_assist.txt): appeals as typed
// on the intake page and the articles that help with them.
func KBAssist() ([]RelevanceCase, error) { return relevanceCases("kb_assist.txt", kbAssistText) }

func relevanceCases(name, text string) ([]RelevanceCase, error) {
	var out []RelevanceCase
	for n, l := range strings.Split(text, "\n") {
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		q, titles, ok := strings.Cut(l, "\t")
		if !ok {
			return nil, fmt.Errorf("%s:%d: no tab", name, n+1)
		}
		out = append(out, RelevanceCase{q, strings.Split(titles, "|")})
	}
	return out, nil
}

// DemoArticle is an article of the demo knowledge base, before it is saved.
type DemoArticle struct {
	hotline.Article
	UnitCode string
}

// KBArticles returns the demo knowledge base: the hand-written articles of
// kb_articles.txt, each unit's duties, and the service points of every
// district (about 200 in all).
func KBArticles() ([]*DemoArticle, error) {
	var out []*DemoArticle
	for i, block := range strings.Split(strings.ReplaceAll(kbArticlesText, "\r\n", "\n"), "\n\n") {
		var lines []string
		for _, l := range strings.Split(strings.TrimSpace(block), "\n") {
			if !strings.HasPrefix(l, "#") && strings.TrimSpace(l) != "" {
				lines = append(lines, l)
			}
		}
		if len(lines) == 0 {
			continue
		}
		head := strings.Split(strings.TrimPrefix(lines[0], "@"), "|")
		kindUnit := strings.Fields(head[0])
		if !strings.HasPrefix(lines[0], "@") || len(head) < 2 || len(kindUnit) != 2 {
			return nil, fmt.Errorf("kb_articles.txt block %d: want \"@kind unit | title [| doc number]\", got %q", i+1, lines[0])
		}
		a := &DemoArticle{UnitCode: kindUnit[1]}
		a.Kind, a.Title = hotline.ArticleKind(kindUnit[0]), strings.TrimSpace(head[1])
		if len(head) > 2 {
			a.DocNumber = strings.TrimSpace(head[2])
		}
		var body, answer []string
		for _, l := range lines[1:] {
			if strings.HasPrefix(l, "> ") {
				answer = append(answer, strings.TrimPrefix(l, "> "))
			} else {
				body = append(body, l)
			}
		}
		a.Body, a.Answer = strings.Join(body, "\n\n"), strings.Join(answer, "\n")
		out = append(out, a)
	}
	for _, u := range units {
		if d, ok := unitDuties[u.code]; ok {
			a := &DemoArticle{UnitCode: u.code}
			a.Kind, a.Title = hotline.ArticleDuty, u.name+"职责"
			a.Body = u.name + "主要职责：" + d + "。属于上述职责范围的诉求派" + u.name + "承办。"
			out = append(out, a)
		}
	}
	for di, u := range units {
		if u.kind != "district" {
			continue
		}
		for si, sp := range servicePoints {
			a := &DemoArticle{UnitCode: u.code}
			a.Kind, a.Title = hotline.ArticleService, u.name+sp.name+"地址和办公时间"
			a.Body = fmt.Sprintf("%s%s位于%s%s%d号，工作日上午8:30—12:00、下午14:00—17:30办公（法定节假日除外），咨询电话0799-%07d。可办理：%s。",
				u.name, sp.name, u.name, streets[(di*5+si)%len(streets)], 10+di*7+si*3, 6100000+di*1000+si*17, sp.items)
			a.Answer = fmt.Sprintf("%s%s在%s%s%d号，工作日上午8:30到12点、下午2点到5点半办公。", u.name, sp.name, u.name,
				streets[(di*5+si)%len(streets)], 10+di*7+si*3)
			out = append(out, a)
		}
	}
	return out, nil
}

var servicePoints = []struct{ name, items string }{
	{"政务服务中心", "企业开办、工程建设审批、社会事务等综合窗口事项"},
	{"社保经办服务大厅", "社保登记、养老保险缴费、社保卡业务、待遇领取资格认证"},
	{"医保经办服务窗口", "居民医保参保缴费、异地就医备案、门诊慢特病认定、医疗费用零星报销"},
	{"不动产登记服务窗口", "房屋首次登记、转移登记、抵押登记、不动产权证书补换"},
	{"公积金服务网点", "住房公积金开户、缴存、提取和贷款受理"},
}

// unitDuties are the demo units' main duties, one line each.
var unitDuties = map[string]string{
	"dept-hrss": "就业创业、社会保险、劳动关系、劳动保障监察、人事考试和职业技能培训", "dept-medins": "医疗保险、生育保险、医疗救助、医保定点机构管理和医药价格招采",
	"dept-hpf": "住房公积金归集、提取、贷款和缴存单位管理", "dept-housing": "房地产市场监管、物业管理、住房保障、建筑工程质量安全和老旧小区改造",
	"dept-urban": "市容环境卫生、城市道路和路灯维护、占道经营和违法建设查处、渣土运输管理", "dept-nrp": "国土空间规划、不动产登记、土地管理和农村宅基地管理",
	"dept-eco": "大气、水、土壤污染防治，建筑施工和工业噪声监管，环境执法", "dept-edu": "学前教育、义务教育招生入学、学籍管理、校外培训机构监管",
	"dept-health": "医疗机构管理、公共卫生、疾病预防控制、妇幼保健和医疗纠纷调处", "dept-market": "市场主体登记、消费维权、食品药品安全、价格监督检查、特种设备安全和计量",
	"dept-transport": "道路运输、出租汽车和网约车管理、公共交通、国省道和农村公路养护", "dept-police": "户籍和身份证管理、治安管理、社会生活噪声处理、烟花爆竹和犬只管理",
	"dept-traffic": "道路交通秩序、违法停车、驾驶证和机动车管理、电动自行车登记", "dept-civil": "最低生活保障、特困供养、养老服务、婚姻登记、殡葬管理和社会组织管理",
	"dept-agri": "农业生产、农资质量监管、农村人居环境和乡村振兴", "dept-water-res": "水资源、河道管理、河道采砂监管和防汛抗旱",
	"dept-emergency": "安全生产监管、应急救援和自然灾害防治", "dept-culture": "文化市场、广播电视、新闻出版和旅游市场监管",
	"dept-commerce": "商贸流通、成品油零售、外贸外资和电子商务", "dept-dev": "国民经济规划、价格管理（水电气价格）、能源和重大项目",
	"dept-finance": "财政预算、政府采购和财政补贴资金管理", "dept-tax": "税费征收、个人所得税、发票管理和社会保险费征收",
	"dept-justice": "法律援助、人民调解、公共法律服务和社区矫正", "dept-veterans": "退役军人安置、优抚优待和优待证发放",
	"dept-forestry": "林地和林木资源保护、森林防火、林木采伐许可", "dept-data": "政务服务中心运行、行政审批、一网通办和12345热线平台",
	"dept-stats": "统计调查、统计数据发布和统计执法", "dept-sports": "群众体育、公共体育场馆和体育赛事",
	"dept-disabled": "残疾人证办理、残疾人就业和康复救助", "dept-women": "妇女儿童权益保护、反家庭暴力和家庭教育指导",
	"dept-petition": "信访事项受理、交办和督查", "dept-fire": "消防安全监督检查、消防通道管理和火灾扑救",
	"dept-post": "快递和邮政市场监管、快递服务申诉", "dept-meteo": "天气预报、气象灾害预警和防雷安全",
	"dept-sasac": "市属国有企业监管和国有资产管理", "util-water": "城区供水、水表和供水管网维修、水费收缴",
	"util-power": "电力供应、停电抢修、电费收缴和用电报装", "util-gas": "管道燃气供应、燃气抢修、开户通气和燃气安全检查",
	"util-bus": "城市公交线路运营、班次安排和公交卡服务", "util-telecom": "固定电话、宽带和移动通信服务",
	"util-mobile": "移动通信、5G网络建设和宽带服务", "util-heat": "市政设施维护和小区供热服务咨询",
}

// loadKB writes and publishes the demo knowledge base as the project
// manager; every tenth article is due for review, so the queue has work.
func (c *city) loadKB(ctx context.Context, now time.Time) error {
	arts, err := KBArticles()
	if err != nil {
		return err
	}
	editor := c.actors["manager"]
	for i, a := range arts {
		if u := c.unitByKey[a.UnitCode]; u != nil {
			a.UnitID = u.ID
		} else {
			return fmt.Errorf("demo article %q: no unit %q", a.Title, a.UnitCode)
		}
		a.ReviewOn = hotline.Day(now.AddDate(0, 6, 0))
		if i%10 == 3 {
			a.ReviewOn = hotline.Day(now.AddDate(0, 0, -i%7-1))
		}
		if a.Kind == hotline.ArticlePolicy {
			a.EffectiveOn = hotline.Day(now.AddDate(-1, 0, 0))
		}
		if err := c.db.CreateArticle(ctx, editor, &a.Article); err != nil {
			return fmt.Errorf("demo article %q: %w", a.Title, err)
		}
		if _, err := c.db.ReviewArticle(ctx, editor, a.ID, sqldb.ArticlePublish, ""); err != nil {
			return err
		}
		c.articles = append(c.articles, a.ID)
	}
	return nil
}
