package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"hotline/channel/cti"
	"hotline/sqldb"
)

const callsUsage = `用法:
  hotline calls import FILE.csv   导入话务平台导出的通话记录（CDR），可重复导入（已有的不会重复计入）
CSV 列（首行为列名，顺序不限）：call_id, caller, callee, queue, agent, offered_at, answered_at, ended_at, recording
时间为 RFC 3339（如 2026-11-30T09:00:05+08:00）或“2006-01-02 15:04:05”（北京时间）；未接听的 answered_at 留空。
支持 --data / --db（服务运行时也可使用）。`

func runCalls(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "import" {
		return fmt.Errorf("%s", callsUsage)
	}
	var f dbFlags
	fs := newFlagSet("calls import", callsUsage, stderr)
	f.register(fs)
	pos, err := parseMixed(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("请指定 CDR 文件\n%s", callsUsage)
	}
	in, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer in.Close()
	events, problems, err := cti.ReadCDR(in)
	if err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Fprintln(stderr, p)
	}
	db, err := f.open(ctx, stderr, false)
	if err != nil {
		return err
	}
	defer db.Close()
	var total sqldb.CallBatch
	for start := 0; start < len(events); start += 999 {
		end := min(start+999, len(events))
		b, err := db.IngestCallEvents(ctx, "cdr", events[start:end])
		if err != nil {
			return describe(err)
		}
		total.Accepted, total.Duplicates, total.Calls = total.Accepted+b.Accepted, total.Duplicates+b.Duplicates, total.Calls+b.Calls
	}
	fmt.Fprintf(stdout, "已导入 %d 个通话事件（%d 个通话），%d 个此前已有，%d 行有误未导入\n", total.Accepted, total.Calls, total.Duplicates, len(problems))
	if len(problems) > 0 {
		return fmt.Errorf("%d 行有误（见上）", len(problems))
	}
	return nil
}
