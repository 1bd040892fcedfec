package main

import (
	"context"
	"fmt"
	"io"
)

const statsUsage = `用法:
  hotline stats rebuild   按工单和通话记录从头重算每日统计（统计数字与工单不一致时使用；服务运行时也可使用）
  hotline stats check     逐日核对每日统计与按工单、通话记录重新计数的结果，有差异则列出并以非零状态退出
支持 --data / --db。`

func runStats(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "rebuild" && args[0] != "check") {
		return fmt.Errorf("%s", statsUsage)
	}
	var f dbFlags
	fs := newFlagSet("stats "+args[0], statsUsage, stderr)
	f.register(fs)
	if err := f.parse(args[1:]); err != nil {
		return err
	}
	db, err := f.open(ctx, stderr, false)
	if err != nil {
		return err
	}
	defer db.Close()
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
