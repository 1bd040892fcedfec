package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"

	"hotline"
	"hotline/demo"
	"hotline/jobs"
	"hotline/web"
)

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var f dbFlags
	fs := newFlagSet("serve", "hotline serve：启动热线平台（JSON API 在 /api/v1）", stderr)
	f.register(fs)
	addr := fs.String("addr", envOr("HOTLINE_ADDR", "127.0.0.1:8080"), "监听地址")
	withDemo := fs.Bool("demo", false, "空库时载入萍乡演示城市（单位、分类、派单目录、用户和数百张工单）")
	sweep := fs.Duration("sweep-interval", time.Minute, "时限扫描间隔")
	insecure := fs.Bool("insecure-cookies", false, "会话 Cookie 不加 Secure 标记（仅限本机 http 调试；--demo 时自动开启）")
	limits := hotline.DefaultLookupLimits()
	fs.IntVar(&limits.PerMinute, "lookup-per-minute", limits.PerMinute, "每人每分钟来电历史查询上限")
	fs.IntVar(&limits.PerDay, "lookup-per-day", limits.PerDay, "每人每24小时来电历史查询上限")
	fs.IntVar(&limits.BurstDistinct, "lookup-alert", limits.BurstDistinct, "告警阈值：时间窗内查询的不同号码数（或被拒次数）")
	fs.DurationVar(&limits.BurstWindow, "lookup-alert-window", limits.BurstWindow, "告警时间窗")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := limits.Validate(); err != nil {
		return describe(err)
	}
	if f.keyInsideData() && !*withDemo {
		fmt.Fprintf(stderr, "警告：主密钥文件 %s 在数据目录内：复制数据目录（或其备份）就连同密钥一起复制了。"+
			"生产环境请用 HOTLINE_MASTER_KEY 或 --key-file 指向数据目录之外（见 docs/security.md）。\n", f.keyFilePath())
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	db, err := f.open(ctx, stderr, *withDemo)
	if err != nil {
		return err
	}
	defer db.Close()
	db.LookupLimits = limits
	if *withDemo {
		password := envOr("HOTLINE_DEMO_PASSWORD", "hotline12345")
		loaded, err := demo.Loaded(ctx, db)
		if err != nil {
			return err
		}
		if !loaded {
			n, _ := strconv.Atoi(envOr("HOTLINE_DEMO_TICKETS", "300"))
			fmt.Fprintf(stdout, "正在载入萍乡演示数据（%d 张工单）…\n", n)
			if err := demo.Load(ctx, db, demo.Options{Password: password, Tickets: n, Now: time.Now(), Seed: 12345}); err != nil {
				return fmt.Errorf("载入演示数据: %w", err)
			}
		}
		fmt.Fprintf(stdout, "演示账号：admin, agent, dispatcher, inspector, callback, lead, manager, analyst, supervisor，"+
			"以及以单位编码命名的单位账号（如 util-water, anyuan）；密码 %s\n", passwordHint(password))
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	handler := web.NewServer(db, logger)
	handler.SecureCookies = !*insecure && !*withDemo
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, WriteTimeout: 2 * time.Minute,
		MaxHeaderBytes: 64 << 10}
	go (&jobs.Sweeper{DB: db, Interval: *sweep, Logger: logger}).Run(ctx)
	go (&jobs.TicketIndexer{DB: db, Logger: logger}).Run(ctx)
	go (&jobs.DispatchRetrainer{DB: db, Logger: logger}).Run(ctx)
	go func() {
		start := time.Now()
		if err := db.LoadKBIndex(ctx); err != nil {
			logger.Error("load the knowledge base index", "err", err)
			return
		}
		logger.Info("knowledge base index in memory", "took", time.Since(start).Round(time.Millisecond))
	}()
	fmt.Fprintf(stdout, "hotline 已启动：http://%s （数据库 %s）\n", ln.Addr(), db.Dialect())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func passwordHint(p string) string {
	if os.Getenv("HOTLINE_DEMO_PASSWORD") != "" {
		return "为 HOTLINE_DEMO_PASSWORD 的值"
	}
	return p
}
