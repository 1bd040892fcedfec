package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"hotline"
	"hotline/channel/cti"
	"hotline/channel/sms"
	"hotline/channel/wechat"
	"hotline/demo"
	"hotline/files"
	"hotline/jobs"
	"hotline/metrics"
	"hotline/quality"
	"hotline/report"
	"hotline/web"
)

// serveOptions are serve's own settings (besides the database's).
type serveOptions struct {
	db              dbFlags
	addr, logFormat string
	metricsToken    string
	dev             string // a folder of templates and static files (development)
	demo, insecure  bool
	sweep, drain    time.Duration
	limits          hotline.LookupLimits
	returnReview    int // working hours the centre has to review a return request
	attachMaxMB     int
	attachTypes     string
	cti             string  // the telephony event socket, freeswitch://HOST:8021?password=…
	recordings      string  // where the platform keeps the recordings it names: a directory or a base URL
	sampleShare     float64 // the weekly sampled share of each agent's calls (0: no weekly draw)
	objectionDays   int     // working days an agent has to object to a score
	responseHours   int     // hours to answer a rectification (the cause analysed)
	planHours       int     // hours to plan it
	reportFont      string  // the reports' CJK TrueType font
	reportDue       int     // working days after its period a report is due
	smsURL          string  // the SMS provider's endpoint (its secret from HOTLINE_SMS_SECRET)
	smsFile         string  // or a file the texts are appended to (the demo's)
	portalPerMinute int     // portal requests per address per minute
	powBits         int     // the portal's proof of work
	publicURL       string  // the hotline's address as citizens reach it
	wechatToken     string  // the official account's server token (HOTLINE_WECHAT_TOKEN)
	wechatAESKey    string  // its EncodingAESKey for the safe mode (HOTLINE_WECHAT_AES_KEY)
	wechatAppID     string  // its AppID (HOTLINE_WECHAT_APPID)
}

// demoWeChatToken is the demo's official-account token.
const demoWeChatToken = "pingxiang-demo"

// newServeFlags registers every serve setting: the flags are also the
// configuration file's keys and the environment's variables (config.go).
func newServeFlags(stderr io.Writer) (*flag.FlagSet, *serveOptions) {
	o := &serveOptions{limits: hotline.DefaultLookupLimits(), returnReview: hotline.DefaultRules().ReturnReview.Value}
	fs := newFlagSet("serve", "hotline serve：启动热线平台（JSON API 在 /api/v1）", stderr)
	o.db.register(fs)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "监听地址")
	fs.BoolVar(&o.demo, "demo", false, "空库时载入萍乡演示城市（单位、分类、派单目录、用户和数百张工单）")
	fs.DurationVar(&o.sweep, "sweep-interval", time.Minute, "时限扫描间隔")
	fs.BoolVar(&o.insecure, "insecure-cookies", false, "会话 Cookie 不加 Secure 标记（仅限本机 http 调试；--demo 时自动开启）")
	fs.StringVar(&o.logFormat, "log-format", "text", "日志格式：text 或 json")
	fs.StringVar(&o.metricsToken, "metrics-token", "", "访问 /metrics 的令牌（Bearer）；不设则只对本机开放")
	fs.DurationVar(&o.drain, "drain", 10*time.Second, "停止时等待处理中请求完成的最长时间")
	fs.StringVar(&o.dev, "dev", "", "开发用：从该目录（源码的 web 文件夹）读取模板和静态文件，改动刷新即见")
	fs.IntVar(&o.limits.PerMinute, "lookup-per-minute", o.limits.PerMinute, "每人每分钟来电历史查询上限")
	fs.IntVar(&o.limits.PerDay, "lookup-per-day", o.limits.PerDay, "每人每24小时来电历史查询上限")
	fs.IntVar(&o.limits.BurstDistinct, "lookup-alert", o.limits.BurstDistinct, "告警阈值：时间窗内查询的不同号码数（或被拒次数）")
	fs.DurationVar(&o.limits.BurstWindow, "lookup-alert-window", o.limits.BurstWindow, "告警时间窗")
	fs.IntVar(&o.returnReview, "return-review-hours", o.returnReview, "退单申请的审核时限（工作小时）")
	fs.IntVar(&o.attachMaxMB, "attachment-max-mb", 10, "单个附件的大小上限（MB）")
	fs.StringVar(&o.attachTypes, "attachment-types", strings.Join(files.DefaultTypes, ","), "允许的附件类型（按内容识别的 MIME 类型，逗号分隔）")
	fs.StringVar(&o.cti, "cti", "", "话务平台事件接口：freeswitch://主机:8021?password=密码（FreeSWITCH mod_event_socket）；不设则只用 webhook 和 CDR 导入")
	fs.StringVar(&o.recordings, "recordings", "", "话务平台自存录音的位置（事件中的 recording 按此读取播放）：目录（如 /var/lib/freeswitch/recordings）或 http(s) 基础地址；其外的路径或地址一律不读")
	fs.IntVar(&o.objectionDays, "objection-days", 2, "坐席对质检结果提出申诉的期限（工作日）")
	fs.IntVar(&o.responseHours, "rectify-response-hours", 24, "整改响应（原因分析）时限（小时）")
	fs.IntVar(&o.planHours, "rectify-plan-hours", 48, "整改计划时限（小时，自发现问题起）")
	fs.Float64Var(&o.sampleShare, "sample-share", quality.DefaultShare, "每周抽样质检的比例（每名话务员上周接听来电的份额，0 为不自动抽样）")
	fs.StringVar(&o.reportFont, "report-font", report.DefaultFont, "运营报告（PDF 和图表）使用的中文 TrueType 字体文件")
	fs.StringVar(&o.smsURL, "sms-url", "", "短信网关地址（JSON POST，以 HOTLINE_SMS_SECRET 签名）；不设则短信写入 --sms-file")
	fs.StringVar(&o.smsFile, "sms-file", "", "未设短信网关时，短信（号码脱敏）追加写入的文件；默认 数据目录/sms-outbox.jsonl")
	fs.IntVar(&o.portalPerMinute, "portal-per-minute", 30, "网上诉求门户每个地址每分钟的请求上限（0 为不限）")
	fs.IntVar(&o.powBits, "portal-pow-bits", web.DefaultPowBits, "获取短信验证码前的工作量证明难度（位）")
	fs.StringVar(&o.publicURL, "public-url", "", "市民访问热线平台的地址（短信和公众号回复中的链接），如 https://12345.pingxiang.gov.cn")
	fs.StringVar(&o.wechatToken, "wechat-token", "", "公众号服务器配置的令牌 Token；不设则不开放 /wechat")
	fs.StringVar(&o.wechatAESKey, "wechat-aes-key", "", "公众号消息加解密密钥 EncodingAESKey（安全模式）")
	fs.StringVar(&o.wechatAppID, "wechat-appid", "", "公众号 AppID（安全模式校验）")
	fs.IntVar(&o.reportDue, "report-due-workdays", report.DefaultDueWorkdays, "运营报告在周期结束后第几个工作日内报送")
	return fs, o
}

// refs is where the platform's own recordings are read.
func (o *serveOptions) refs() files.Refs {
	if strings.HasPrefix(o.recordings, "http://") || strings.HasPrefix(o.recordings, "https://") {
		return files.Refs{BaseURL: o.recordings}
	}
	return files.Refs{Dir: o.recordings}
}

// policy is the attachment policy the settings say.
func (o *serveOptions) policy() files.Policy {
	p := files.Policy{MaxBytes: int64(o.attachMaxMB) << 20}
	for _, t := range strings.Split(o.attachTypes, ",") {
		if t = strings.TrimSpace(t); t != "" {
			p.Types = append(p.Types, t)
		}
	}
	return p
}

// validate checks the settings that flags cannot, naming the key.
func (o *serveOptions) validate() error {
	if o.logFormat != "text" && o.logFormat != "json" {
		return fmt.Errorf("log_format：应为 text 或 json，而不是 %q", o.logFormat)
	}
	if o.sweep <= 0 || o.drain <= 0 {
		return fmt.Errorf("sweep_interval、drain：应为正的时长（如 1m、10s）")
	}
	if err := o.limits.Validate(); err != nil {
		return describe(err)
	}
	if o.attachMaxMB < 1 || o.attachMaxMB > 100 {
		return fmt.Errorf("attachment_max_mb：应为 1 到 100，而不是 %d", o.attachMaxMB)
	}
	if len(o.policy().Types) == 0 {
		return fmt.Errorf("attachment_types：至少允许一种类型")
	}
	if o.cti != "" {
		if _, err := cti.ParseFreeSWITCH(o.cti); err != nil {
			return err
		}
	}
	if o.objectionDays < 1 || o.objectionDays > 10 {
		return fmt.Errorf("objection_days：应为 1 到 10 个工作日，而不是 %d", o.objectionDays)
	}
	if o.responseHours < 1 || o.responseHours > 168 || o.planHours < o.responseHours || o.planHours > 336 {
		return fmt.Errorf("rectify_response_hours、rectify_plan_hours：响应 1 到 168 小时，计划不早于响应、不超过 336 小时（现为 %d、%d）", o.responseHours, o.planHours)
	}
	if o.reportDue < 1 || o.reportDue > 20 {
		return fmt.Errorf("report_due_workdays：应为 1 到 20 个工作日，而不是 %d", o.reportDue)
	}
	if o.sampleShare < 0 || o.sampleShare > 1 {
		return fmt.Errorf("sample_share：应为 0 到 1（如 0.05 即 5%%），而不是 %g", o.sampleShare)
	}
	if o.returnReview < 1 || o.returnReview > 80 {
		return fmt.Errorf("return_review_hours：应为 1 到 80 个工作小时，而不是 %d", o.returnReview)
	}
	return nil
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs, o := newServeFlags(stderr)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := o.db.configure(); err != nil {
		return err
	}
	if err := o.validate(); err != nil {
		return err
	}
	f, addr, withDemo, sweep, insecure, logFormat, metricsToken, drain, limits := &o.db, &o.addr, &o.demo, &o.sweep, &o.insecure, &o.logFormat, &o.metricsToken, &o.drain, o.limits
	if f.keyInsideData() && !*withDemo {
		fmt.Fprintf(stderr, "警告：主密钥文件 %s 在数据目录内：复制数据目录（或其备份）就连同密钥一起复制了。"+
			"生产环境请用 HOTLINE_MASTER_KEY 或 --key-file 指向数据目录之外（见 docs/security.md）。\n", f.keyFilePath())
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	if *logFormat == "json" {
		logger = slog.New(slog.NewJSONHandler(stderr, nil))
	}
	db, err := f.open(ctx, stderr, *withDemo)
	if err != nil {
		return err
	}
	defer db.Close()
	db.LookupLimits = limits
	db.Rules.ReturnReview = hotline.Limit{Value: o.returnReview, Unit: hotline.WorkingHours}
	db.FilePolicy = o.policy()
	if db.Files, err = f.fileStore(ctx); err != nil {
		return err
	}
	db.Recordings = o.refs()
	db.ReportDueWorkdays = o.reportDue
	db.QualityLimits = quality.Limits{Objection: hotline.Limit{Value: o.objectionDays, Unit: hotline.WorkingDays},
		Response: hotline.Limit{Value: o.responseHours, Unit: hotline.CalendarHours}, Plan: hotline.Limit{Value: o.planHours, Unit: hotline.CalendarHours}}
	if *withDemo {
		password := envOr("HOTLINE_DEMO_PASSWORD", "hotline12345")
		loaded, err := demo.Loaded(ctx, db)
		if err != nil {
			return err
		}
		if !loaded {
			n, _ := strconv.Atoi(envOr("HOTLINE_DEMO_TICKETS", "300"))
			calls, _ := strconv.Atoi(envOr("HOTLINE_DEMO_CALLS", "1000"))
			history, _ := strconv.Atoi(envOr("HOTLINE_DEMO_HISTORY", "120"))
			fmt.Fprintf(stdout, "正在载入萍乡演示数据（%d 张工单及 90 天的历史工单，工作日约 %d 件诉求、%d 个来电）…\n", n, history, calls)
			if err := demo.Load(ctx, db, demo.Options{Password: password, Tickets: n, Now: time.Now(), Seed: 12345, CallsPerDay: calls, HistoryPerDay: history}); err != nil {
				return fmt.Errorf("载入演示数据: %w", err)
			}
		}
		fmt.Fprintf(stdout, "演示账号：admin, agent（另有话务员 agent02…agent14）, dispatcher, inspector, callback, lead, manager, analyst, supervisor，"+
			"以及以单位编码命名的单位账号（如 util-water, anyuan）；密码 %s\n", passwordHint(password))
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	m := metrics.New()
	for name, pool := range db.Pools() {
		m.WatchPool(name, pool)
	}
	m.Gauges("hotline_tickets", "Tickets by status.", "status", func() (map[string]float64, error) {
		counts, err := db.TicketsByStatus(context.Background())
		out := map[string]float64{}
		for st, n := range counts {
			out[string(st)] = float64(n)
		}
		return out, err
	})
	handler := web.NewServer(db, logger)
	handler.SecureCookies = !*insecure && !*withDemo
	handler.ReportFont = o.reportFont
	handler.PortalPerMinute, handler.PowBits = o.portalPerMinute, o.powBits
	handler.SMSSecret, handler.PublicURL = os.Getenv("HOTLINE_SMS_SECRET"), o.publicURL
	if handler.PublicURL == "" && *withDemo {
		handler.PublicURL = "http://" + *addr // the demo's links point at itself
	}
	if o.wechatToken == "" && *withDemo {
		o.wechatToken = demoWeChatToken // the demo's account, plaintext mode (docs: README)
		logger.Info("demo: /wechat takes plaintext messages signed with the demo token", "token", demoWeChatToken)
	}
	if o.wechatToken != "" {
		wx := &wechat.Handler{Token: o.wechatToken, Answers: handler, Replies: db.WeChatReplies(),
			OnError: func(err error) { logger.Warn("wechat", "err", err) }}
		if o.wechatAESKey != "" {
			c, err := wechat.NewCrypter(o.wechatAESKey, o.wechatAppID)
			if err != nil {
				return fmt.Errorf("wechat-aes-key: %w", err)
			}
			wx.Crypter = c
		}
		handler.WeChat = wx
	}
	if secret := os.Getenv("HOTLINE_WECHAT_SECRET"); secret != "" && o.wechatAppID != "" {
		handler.WeChatAPI = &wechat.API{AppID: o.wechatAppID, Secret: secret, Tokens: db.WeChatTokens()}
	}
	if o.smsURL != "" {
		handler.SMS = &sms.HTTP{URL: o.smsURL, Secret: handler.SMSSecret}
	} else {
		path := o.smsFile
		if path == "" {
			path = filepath.Join(o.db.data, "sms-outbox.jsonl")
		}
		handler.SMS = &sms.File{Path: path}
	}
	handler.Metrics, handler.MetricsToken, handler.AccessLog = m, *metricsToken, true
	if o.dev != "" {
		if err := handler.Develop(o.dev); err != nil {
			return err
		}
		logger.Info("development mode: templates and static files from disk", "dir", o.dev)
	}
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, WriteTimeout: 2 * time.Minute,
		MaxHeaderBytes: 64 << 10}
	srv.RegisterOnShutdown(handler.StopStreams) // event streams never end by themselves
	// Background jobs run with the server's context and are joined before
	// the database closes.
	var jobsDone sync.WaitGroup
	start := func(run func(context.Context)) {
		jobsDone.Add(1)
		go func() { defer jobsDone.Done(); run(ctx) }()
	}
	start((&jobs.Sweeper{DB: db, Interval: *sweep, Logger: logger, Metrics: m}).Run)
	start((&jobs.TicketIndexer{DB: db, Logger: logger, Metrics: m}).Run)
	start((&jobs.DispatchRetrainer{DB: db, Logger: logger}).Run)
	start((&jobs.StatsRefresher{DB: db, Logger: logger}).Run)
	start((&jobs.EarlyWarner{DB: db, Logger: logger}).Run)
	start((&jobs.SMSNotifier{DB: db, SMS: handler.SMS, Logger: logger}).Run)
	start(handler.WarmHotspots)
	if o.sampleShare > 0 {
		start((&jobs.WeeklySampler{DB: db, Logger: logger, Share: o.sampleShare}).Run)
	}
	if o.cti != "" {
		fsw, _ := cti.ParseFreeSWITCH(o.cti) // checked in validate
		fsw.DB, fsw.Logger = db, logger
		m.Gauges("hotline_cti_connected", "Whether the telephony event socket is connected (1) or not (0).", "stream", func() (map[string]float64, error) {
			up := 0.0
			if fsw.Stats().Connected {
				up = 1
			}
			return map[string]float64{fsw.Stream(): up}, nil
		})
		start(fsw.Run)
	}
	start(func(ctx context.Context) {
		began := time.Now()
		if err := db.LoadKBIndex(ctx); err != nil {
			if ctx.Err() == nil {
				logger.Error("load the knowledge base index", "err", err)
			}
			return
		}
		logger.Info("knowledge base index in memory", "took", time.Since(began).Round(time.Millisecond))
	})
	fmt.Fprintf(stdout, "hotline 已启动：http://%s （数据库 %s）\n", ln.Addr(), db.Dialect())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Graceful: stop accepting, let requests in flight finish (at most
	// --drain), end event streams, then wait for the jobs; the database
	// closes last (deferred above).
	logger.Info("shutting down", "drain", *drain)
	shutdown, cancel := context.WithTimeout(context.Background(), *drain)
	defer cancel()
	err = srv.Shutdown(shutdown)
	handler.Close() // background work an admin started (training, re-index)
	jobsDone.Wait()
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shutdown: %w", err)
	}
	logger.Info("stopped")
	return nil
}

func passwordHint(p string) string {
	if os.Getenv("HOTLINE_DEMO_PASSWORD") != "" {
		return "为 HOTLINE_DEMO_PASSWORD 的值"
	}
	return p
}
