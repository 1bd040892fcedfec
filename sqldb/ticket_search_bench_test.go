package sqldb_test

import (
	"bufio"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"hotline"
	"hotline/sqldb"
	"hotline/sqldb/sqldbtest"
)

// appealTexts reads the shared data's citizen messages (real, de-identified
// appeals), or skips.
func appealTexts(tb testing.TB) []string {
	f, err := os.Open("../../shared/data/tipdm2020c/messages_dev.jsonl")
	if err != nil {
		tb.Skip("../shared/data is absent: skipping the ticket search benchmark")
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var m struct{ Text string }
		if json.Unmarshal(sc.Bytes(), &m) == nil && m.Text != "" {
			out = append(out, m.Text)
		}
	}
	return out
}

// ticketSearchQueries are what a dispatcher looks for in past tickets.
var ticketSearchQueries = []string{"噪音", "停水", "物业 收费", "拖欠 工资", "违章 建筑", "学校", "公交", "拆迁 补偿", "路灯",
	"小区 停车", "油烟", "医保", "公积金 提取", "养老保险", "环境 污染", "出租车", "垃圾", "供暖", "房产证", "教师",
	"装修 扰民", "农民工", "征地", "自来水", "网约车", "幼儿园", "道路 积水", "退休", "工业园", "村民"}

func ticketBenchSize() int {
	if n, err := strconv.Atoi(os.Getenv("HOTLINE_TICKET_BENCH_N")); err == nil && n > 0 {
		return n
	}
	return 1000000
}

// BenchmarkTicketSearch fills a database with HOTLINE_TICKET_BENCH_N
// (1,000,000) tickets made of the shared data's 6,312 appeals (each copied
// as often as needed), indexes them with the background pass, and
// searches them as the centre: newest first, 20 a page, with the total.
func BenchmarkTicketSearch(b *testing.B) {
	texts := appealTexts(b)
	for _, d := range sqldbtest.Dialects() {
		b.Run(d, func(b *testing.B) {
			n := ticketBenchSize()
			// HOTLINE_TICKET_BENCH_KEEP=FILE (SQLite) and
			// HOTLINE_TICKET_BENCH_KEEP_PG=DSN (PostgreSQL, with the
			// search_path of an existing schema): build the database there
			// once and search it again on later runs (with the same
			// HOTLINE_TEST_MASTER_KEY).
			keep := map[string]string{"sqlite": os.Getenv("HOTLINE_TICKET_BENCH_KEEP"), "postgres": os.Getenv("HOTLINE_TICKET_BENCH_KEEP_PG")}[d]
			if keep != "" {
				if hasRows(keep, "tickets") {
					db := sqldbtest.Open(b, keep)
					searchTickets(b, db, hotline.Actor{Role: hotline.RoleTeamLead}, 0)
					return
				}
				f := mustFixtureAt(b, keep)
				fmt.Printf("# %s: indexed %.0f tickets/s\n", d, fillTickets(b, f, texts, n))
				return
			}
			f := MustFixture(b, d)
			rate := fillTickets(b, f, texts, n)
			searchTickets(b, f.DB, f.Actors["lead"], rate)
		})
	}
}

// hasRows reports whether the database at dsn (a kept benchmark
// database) exists and has rows in table.
func hasRows(dsn, table string) bool {
	if !strings.HasPrefix(dsn, "postgres") {
		_, err := os.Stat(dsn)
		return err == nil
	}
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		return false
	}
	defer raw.Close()
	var n int
	return raw.QueryRow(`SELECT COUNT(*) FROM `+table).Scan(&n) == nil && n > 0
}

// fillTickets makes about n tickets of the texts and indexes them; it
// returns the indexing rate (tickets/s).
func fillTickets(b *testing.B, f *fixture, texts []string, n int) float64 {
	copies := max(1, n/len(texts))
	var ids []int64
	for i, text := range texts {
		if len(ids)*copies >= n {
			break
		}
		title := text
		if utf8.RuneCountInString(title) > 30 {
			title = string([]rune(title)[:30])
		}
		if utf8.RuneCountInString(text) > 2000 {
			text = string([]rune(text)[:2000])
		}
		t := &hotline.Ticket{Channel: hotline.ChannelWeb, AppealKind: hotline.Complaint, CategoryID: f.Cat.ID,
			Urgency: hotline.Normal, Title: title, Content: text, Requester: hotline.Requester{Anonymous: true},
			Location: hotline.Location{Address: "萍乡市"}}
		if err := f.DB.CreateTicket(f.Context, f.Actors["agent"], t, false); err != nil {
			b.Fatalf("ticket %d: %v", i, err)
		}
		ids = append(ids, t.ID)
	}
	// In slices of a few hundred originals, so that no statement
	// holds a million rows at once.
	for i := 0; i < len(ids); i += 500 {
		sqldbtest.CopyTicketRange(b, f.DSN, ids[i], ids[min(i+500, len(ids))-1], copies-1)
	}
	start := time.Now()
	if err := f.DB.ResetTicketIndex(f.Context); err != nil {
		b.Fatal(err)
	}
	if err := f.DB.IndexTickets(f.Context, nil); err != nil {
		b.Fatal(err)
	}
	return float64(len(ids)*copies) / time.Since(start).Seconds()
}

// searchTickets runs the dispatcher's searches and reports latency.
func searchTickets(b *testing.B, db *sqldb.DB, lead hotline.Actor, rate float64) {
	ctx := context.Background()
	timeQueries(b, ticketSearchQueries, os.Getenv("HOTLINE_TICKET_BENCH_VERBOSE") != "", func(q string) error {
		_, _, err := db.FindTickets(ctx, lead, sqldb.TicketFilter{Q: q})
		return err
	})
	// After the timing: b.Loop resets the metrics reported before it.
	if rate > 0 {
		b.ReportMetric(rate, "tickets/s-indexed")
	}
}

// timeQueries runs each query once (as a running server has them
// cached), then the queries in turn for the benchmark's iterations, and
// reports the latency percentiles; verbose prints the ten slowest.
func timeQueries(b *testing.B, queries []string, verbose bool, search func(q string) error) {
	for _, q := range queries {
		if err := search(q); err != nil {
			b.Fatal(err)
		}
	}
	var lat []time.Duration
	slowest := map[string]time.Duration{}
	for i := 0; b.Loop(); i++ {
		t0 := time.Now()
		q := queries[i%len(queries)]
		if err := search(q); err != nil {
			b.Fatal(err)
		}
		took := time.Since(t0)
		lat = append(lat, took)
		slowest[q] = max(slowest[q], took)
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	if verbose {
		qs := append([]string{}, queries...)
		sort.Slice(qs, func(i, j int) bool { return slowest[qs[i]] > slowest[qs[j]] })
		for _, q := range qs[:min(10, len(qs))] {
			fmt.Printf("# slowest: %-30s %v\n", q, slowest[q])
		}
	}
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*95/100].Microseconds())/1000, "p95-ms")
}
