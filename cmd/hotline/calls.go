package main

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"hotline"
	"hotline/sqldb"
)

const callsUsage = `用法:
  hotline calls import FILE.csv   导入话务平台导出的通话记录（CDR），可重复导入（已有的不会重复计入）
CSV 列（首行为列名，顺序不限）：call_id, caller, callee, queue, agent, offered_at, answered_at, ended_at, recording
时间为 RFC 3339（如 2026-11-30T09:00:05+08:00）或“2006-01-02 15:04:05”（北京时间）；未接听的 answered_at 留空。
支持 --data / --db（服务运行时也可使用）。`

// cdrColumns are the columns a CDR file may have; call_id and offered_at
// are required.
var cdrColumns = []string{"call_id", "caller", "callee", "queue", "agent", "offered_at", "answered_at", "ended_at", "recording"}

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
	events, problems, err := readCDR(in)
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

// readCDR reads a CDR file into call events; a bad row is reported (its
// line and field) and left out, the others are kept.
func readCDR(r io.Reader) ([]hotline.CallEvent, []string, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		return nil, nil, fmt.Errorf("CDR 文件没有列名行：%w", err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, need := range []string{"call_id", "offered_at"} {
		if _, ok := col[need]; !ok {
			return nil, nil, fmt.Errorf("CDR 文件缺少列 %s（应有 %s）", need, strings.Join(cdrColumns, ", "))
		}
	}
	var events []hotline.CallEvent
	var problems []string
	for line := 2; ; line++ {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			problems = append(problems, fmt.Sprintf("第 %d 行：%v", line, err))
			continue
		}
		get := func(name string) string {
			if i, ok := col[name]; ok && i < len(row) {
				return strings.TrimSpace(row[i])
			}
			return ""
		}
		base := hotline.CallEvent{CallID: get("call_id"), Caller: get("caller"), Callee: get("callee"), Queue: get("queue")}
		var evs []hotline.CallEvent
		bad := ""
		for _, step := range []struct {
			column string
			kind   hotline.CallEventKind
		}{{"offered_at", hotline.CallOffered}, {"answered_at", hotline.CallAnswered}, {"ended_at", hotline.CallEnded}} {
			v := get(step.column)
			if v == "" {
				if step.kind == hotline.CallOffered {
					bad = "offered_at：必填"
				}
				continue
			}
			at, err := parseCDRTime(v)
			if err != nil {
				bad = step.column + "：" + err.Error()
				break
			}
			e := base
			e.Event, e.At = step.kind, at
			if step.kind == hotline.CallAnswered {
				e.Agent = get("agent")
			}
			if step.kind == hotline.CallEnded {
				e.Recording = get("recording")
			}
			if err := e.Validate(); err != nil {
				bad = hotline.ErrorField(err) + "：" + hotline.ErrorMessage(err)
				break
			}
			evs = append(evs, e)
		}
		if bad != "" {
			problems = append(problems, fmt.Sprintf("第 %d 行：%s", line, bad))
			continue
		}
		events = append(events, evs...)
	}
	return events, problems, nil
}

func parseCDRTime(v string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	t, err := time.ParseInLocation("2006-01-02 15:04:05", v, hotline.ChinaZone)
	if err != nil {
		return time.Time{}, fmt.Errorf("时间格式应为 RFC 3339 或 2006-01-02 15:04:05")
	}
	return t, nil
}
