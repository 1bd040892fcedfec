package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"

	"hotline"
	"hotline/wfm"
)

const callsimUsage = `用法:
  hotline callsim --base URL --key KEY --day 2026-11-30 [--calls 1500] [--speed 60] [--agents agent,agent2] [--seed 1]
按一天的话务曲线（上午、下午高峰，夜间低谷）生成来电：泊松到达，按话务量排当班坐席，来电排队由最先空闲的坐席接听，
对数正态通话时长（约 300–450 秒）加话后处理，等不及的来电人放弃（含 5 秒内的短时放弃），把 offered/answered/ended 事件按时间顺序推送到 /api/v1/cti/events。
--speed 60 表示 1 分钟模拟 1 小时；0 表示不等待，尽快推送。`

// runCallsim plays a simulated day of calls against a server's webhook.
func runCallsim(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("callsim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, callsimUsage) }
	base := fs.String("base", "http://127.0.0.1:8080", "服务地址")
	key := fs.String("key", "", "接口密钥（hotline apikey add --scope cti）")
	dayFlag := fs.String("day", time.Now().In(hotline.ChinaZone).Format("2006-01-02"), "模拟的日期")
	calls := fs.Int("calls", 1500, "来电数")
	speed := fs.Float64("speed", 60, "倍速（0：尽快）")
	agents := fs.String("agents", "agent,agent02,agent03,agent04,agent05,agent06,agent07,agent08,agent09,agent10,agent11,agent12,agent13,agent14",
		"接听的坐席用户名，逗号分隔（默认演示城市的 14 名话务员）")
	seed := fs.Uint64("seed", 1, "随机种子（同一种子同一天）")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *key == "" {
		return fmt.Errorf("请用 --key 给出接口密钥\n%s", callsimUsage)
	}
	day, err := time.ParseInLocation("2006-01-02", *dayFlag, hotline.ChinaZone)
	if err != nil {
		return fmt.Errorf("--day 应为 YYYY-MM-DD：%v", err)
	}
	if *calls < 1 || *calls > 100000 {
		return fmt.Errorf("--calls 应为 1 到 100000")
	}
	names := strings.Split(*agents, ",")
	events := wfm.SimulateDay(wfm.Day{Start: day, Calls: *calls, Agents: names, Prefix: "sim"}, rand.New(rand.NewPCG(*seed, uint64(day.Unix()))))
	start := time.Now()
	var sent, batch int
	var pending []map[string]string
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		body, _ := json.Marshal(pending)
		req, _ := http.NewRequestWithContext(ctx, "POST", strings.TrimRight(*base, "/")+"/api/v1/cti/events", bytes.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+*key)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 {
			b, _ := io.ReadAll(resp.Body)
			return fmt.Errorf("推送失败：%d %s", resp.StatusCode, b)
		}
		sent, pending = sent+len(pending), pending[:0]
		batch++
		return nil
	}
	for _, e := range events {
		if *speed > 0 { // wait until the event's simulated time comes
			due := start.Add(time.Duration(float64(e.At.Sub(day)) / *speed))
			if wait := time.Until(due); wait > 0 {
				if err := flush(); err != nil {
					return err
				}
				select {
				case <-ctx.Done():
					return ctx.Err()
				case <-time.After(wait):
				}
			}
		}
		pending = append(pending, webhookEvent(e))
		if len(pending) == 500 {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := flush(); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "已推送 %d 个来电的 %d 个事件（%d 次请求，用时 %s）\n", *calls, sent, batch, time.Since(start).Round(time.Millisecond))
	return nil
}

// webhookEvent is an event as the webhook takes it.
func webhookEvent(e hotline.CallEvent) map[string]string {
	m := map[string]string{"call_id": e.CallID, "event": string(e.Event), "at": e.At.Format(time.RFC3339Nano)}
	for k, v := range map[string]string{"caller": e.Caller, "callee": e.Callee, "queue": e.Queue, "agent": e.Agent, "recording": e.Recording} {
		if v != "" {
			m[k] = v
		}
	}
	return m
}
