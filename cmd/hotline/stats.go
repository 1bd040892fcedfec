package main

import (
	"context"
	"fmt"
	"io"

	"hotline"
	"hotline/hotspot"
	"hotline/sqldb"
)

const statsUsage = `用法:
  hotline stats rebuild   按工单和通话记录从头重算每日统计（统计数字与工单不一致时使用；服务运行时也可使用）
  hotline stats check     逐日核对每日统计与按工单、通话记录重新计数的结果，有差异则列出并以非零状态退出
  hotline stats surges [--days N]  按激增预警规则回看最近 N 天（默认 90）的历史，列出每次激增并给出预警率
支持 --data / --db。`

func runStats(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "rebuild" && args[0] != "check" && args[0] != "surges") {
		return fmt.Errorf("%s", statsUsage)
	}
	var f dbFlags
	fs := newFlagSet("stats "+args[0], statsUsage, stderr)
	f.register(fs)
	surgeDays := fs.Int("days", 90, "stats surges：回看的天数（不含今天，1–366）")
	if err := f.parse(args[1:]); err != nil {
		return err
	}
	db, err := f.open(ctx, stderr, false)
	if err != nil {
		return err
	}
	defer db.Close()
	if args[0] == "surges" {
		return surgeBacktest(ctx, db, *surgeDays, stdout)
	}
	if args[0] == "check" {
		diffs, err := db.Stats().Check(ctx)
		if err != nil {
			return describe(err)
		}
		calls, err := db.Stats().CheckCalls(ctx)
		if err != nil {
			return describe(err)
		}
		diffs = append(diffs, calls...)
		for _, d := range diffs {
			fmt.Fprintln(stdout, d)
		}
		if len(diffs) > 0 {
			return fmt.Errorf("每日统计有 %d 处与工单、通话记录不一致，请运行 hotline stats rebuild", len(diffs))
		}
		fmt.Fprintln(stdout, "每日统计与工单、通话记录一致")
		return nil
	}
	days, err := db.Stats().Rebuild(ctx, func(done, total int64) {
		fmt.Fprintf(stderr, "\r已重算 %d/%d 天", done, total)
	})
	fmt.Fprintln(stderr)
	if err != nil {
		return describe(err)
	}
	callDays, err := db.Stats().RebuildCalls(ctx)
	if err != nil {
		return describe(err)
	}
	fmt.Fprintf(stdout, "已按工单重算 %d 天的统计，按通话记录重算 %d 天的话务统计\n", days, callDays)
	return nil
}

// surgeBacktest runs the surge rule over the history's days and prints
// each surge and the alarm rate (per category × district and day).
func surgeBacktest(ctx context.Context, db *sqldb.DB, days int, stdout io.Writer) error {
	if days < 1 || days > 366 {
		return fmt.Errorf("--days 应在 1 到 366 之间")
	}
	now := db.Now()
	analyst := hotline.Actor{Role: hotline.RoleAnalyst, Name: "hotline stats surges"}
	found, keys, err := db.Stats().Surges(ctx, analyst, now.AddDate(0, 0, -days), now.AddDate(0, 0, -1), hotspot.SurgeRule{})
	if err != nil {
		return describe(err)
	}
	for _, f := range found {
		fmt.Fprintf(stdout, "%s\t%s\t%s\t%d 件\t预计 %.2f\tp=%.1e\n", f.Day.Format("2006-01-02"), f.District, f.Category, f.Count, f.Expected, f.P)
	}
	keyDays := keys * days
	rate := 0.0
	if keyDays > 0 {
		rate = float64(len(found)) / float64(keyDays)
	}
	fmt.Fprintf(stdout, "回看 %d 天，%d 个区县×分类，%d 个区县×分类×日；激增 %d 次（每千个 %.3f 次，平均每周 %.1f 次）\n",
		days, keys, keyDays, len(found), rate*1000, float64(len(found))*7/float64(days))
	return nil
}
