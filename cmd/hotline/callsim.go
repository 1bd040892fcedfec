package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net/http"
	"sort"
	"strings"
	"time"

	"hotline"
)

const callsimUsage = `用法:
  hotline callsim --base URL --key KEY --day 2026-11-30 [--calls 1500] [--speed 60] [--agents agent,agent2] [--seed 1]
按一天的话务曲线（上午、下午高峰，夜间低谷）生成来电：泊松到达、对数正态通话时长（约 300–450 秒）、
按耐心放弃（含 5 秒内的短时放弃），把 offered/answered/ended 事件按时间顺序推送到 /api/v1/cti/events。
--speed 60 表示 1 分钟模拟 1 小时；0 表示不等待，尽快推送。`

// hourly is the share of a day's calls in each hour (a 12345 centre's
// profile: quiet at night, peaks at 9–11 and 14–17).
var hourly = [24]float64{0.6, 0.4, 0.3, 0.3, 0.4, 0.8, 1.6, 3.2, 6.0, 8.0, 8.4, 7.2, 4.8, 4.6, 6.8, 7.6, 7.4, 6.2, 4.4, 3.6, 3.2, 2.6, 1.8, 1.2}

type simEvent struct {
	at time.Time
	ev map[string]string
}

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
	agents := fs.String("agents", "agent", "接听的坐席用户名，逗号分隔")
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
	events := simulateDay(day, *calls, names, rand.New(rand.NewPCG(*seed, uint64(day.Unix()))))
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
			due := start.Add(time.Duration(float64(e.at.Sub(day)) / *speed))
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
		pending = append(pending, e.ev)
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

// simulateDay makes a day's calls: arrivals by the hourly profile (a
// Poisson process within each hour), a wait set by how busy the hour is,
// callers who give up when their patience (exponential, mean 150 s; one in
// forty at once) runs out first, log-normal talk around 5½ minutes.
func simulateDay(day time.Time, n int, agents []string, rng *rand.Rand) []simEvent {
	var total float64
	for _, h := range hourly {
		total += h
	}
	var out []simEvent
	id := 0
	for h, share := range hourly {
		k := int(math.Round(float64(n) * share / total))
		if h == 23 {
			k = n - id
		}
		at := day.Add(time.Duration(h) * time.Hour)
		rate := float64(k) / 3600 // per second
		for i := 0; i < k; i++ {
			at = at.Add(time.Duration(rng.ExpFloat64() / rate * float64(time.Second)))
			if end := day.Add(time.Duration(h+1) * time.Hour); !at.Before(end) {
				at = end.Add(-time.Duration(k-i) * time.Second)
			}
			id++
			callID := fmt.Sprintf("sim-%s-%05d", day.Format("20060102"), id)
			caller := fmt.Sprintf("1%d%09d", 3+rng.IntN(7), rng.IntN(1_000_000_000))
			busy := share / 8.4 // 1 at the peak
			wait := time.Duration((2 + rng.ExpFloat64()*15*busy) * float64(time.Second))
			patience := time.Duration(rng.ExpFloat64() * 150 * float64(time.Second))
			if rng.IntN(40) == 0 {
				patience = time.Duration(1+rng.IntN(4)) * time.Second // a short abandon
			}
			offered := map[string]string{"call_id": callID, "event": "offered", "at": at.Format(time.RFC3339Nano), "caller": caller, "callee": "12345", "queue": "12345"}
			out = append(out, simEvent{at, offered})
			if patience < wait {
				end := at.Add(patience)
				out = append(out, simEvent{end, map[string]string{"call_id": callID, "event": "ended", "at": end.Format(time.RFC3339Nano)}})
				continue
			}
			answered := at.Add(wait)
			talk := time.Duration(math.Exp(5.8+0.45*rng.NormFloat64()) * float64(time.Second)) // median ≈ 330 s
			ended := answered.Add(talk)
			out = append(out,
				simEvent{answered, map[string]string{"call_id": callID, "event": "answered", "at": answered.Format(time.RFC3339Nano), "agent": agents[id%len(agents)]}},
				simEvent{ended, map[string]string{"call_id": callID, "event": "ended", "at": ended.Format(time.RFC3339Nano), "recording": "/recordings/" + callID + ".wav"}})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].at.Before(out[j].at) })
	return out
}
