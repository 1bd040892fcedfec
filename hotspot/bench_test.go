package hotspot

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"testing"
	"time"
)

// hotMessages reads ../shared/data/tipdm2020c/hot_issue_messages.jsonl
// (4,326 public messages of a city's hotline, 2019–2020), or skips.
func hotMessages(tb testing.TB) []Item {
	f, err := os.Open("../../shared/data/tipdm2020c/hot_issue_messages.jsonl")
	if err != nil {
		tb.Skip("../shared/data is absent: skipping")
	}
	defer f.Close()
	var out []Item
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<22)
	for sc.Scan() {
		var m struct {
			ID      string `json:"留言编号"`
			User    string `json:"留言用户"`
			Title   string `json:"留言主题"`
			At      string `json:"留言时间"`
			Content string `json:"留言详情"`
			Likes   string `json:"点赞数"`
		}
		if json.Unmarshal(sc.Bytes(), &m) != nil {
			continue
		}
		var id int64
		var likes int
		fmt.Sscan(m.ID, &id)
		fmt.Sscan(m.Likes, &likes)
		at, err := time.Parse("2006/1/2 15:04:05", m.At)
		if err != nil {
			continue
		}
		out = append(out, Item{ID: id, Title: m.Title, Content: m.Content, At: at, PhoneKey: m.User, Attention: likes})
	}
	return out
}

// BenchmarkCluster30000 clusters a month's worth of appeals: the 4,326
// messages seven times over (each copy a day later, its text as it was),
// 30,282 items.
func BenchmarkCluster30000(b *testing.B) {
	base := hotMessages(b)
	var items []Item
	for c := 0; c < 7; c++ {
		for _, it := range base {
			it.ID = it.ID*10 + int64(c)
			it.At = it.At.Add(time.Duration(c) * 24 * time.Hour)
			items = append(items, it)
		}
	}
	b.ResetTimer()
	var n int
	for i := 0; i < b.N; i++ {
		n = len(Cluster(items, Options{}))
	}
	b.ReportMetric(float64(n), "hotspots")
	b.ReportMetric(float64(len(items)), "items")
}
