package cti_test

import (
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"hotline/channel/cti/ctitest"
)

// eslFrames makes the frames of n answered calls: member-queue-start,
// bridge-agent-start, member-queue-end (Terminated), the member's hangup.
func eslFrames(n int) []string {
	var out []string
	seq := 0
	frame := func(ts time.Time, name string, kv ...string) {
		seq++
		var b strings.Builder
		fmt.Fprintf(&b, "Event-Name: %s\nCore-UUID: bench-run\nEvent-Date-Timestamp: %d\nEvent-Sequence: %d\n", name, ts.UnixMicro(), seq)
		for i := 0; i+1 < len(kv); i += 2 {
			fmt.Fprintf(&b, "%s: %s\n", kv[i], url.PathEscape(kv[i+1]))
		}
		out = append(out, b.String())
	}
	t0 := time.Date(2026, 11, 30, 1, 0, 0, 0, time.UTC)
	for i := 0; i < n; i++ {
		id, at := fmt.Sprintf("bench-%06d", i), t0.Add(time.Duration(i)*time.Second)
		cc := []string{"Event-Subclass", "callcenter::info", "CC-Queue", "12345@default", "CC-Member-Session-UUID", id,
			"CC-Member-CID-Number", fmt.Sprintf("139%08d", i)}
		frame(at, "CUSTOM", append(cc, "CC-Action", "member-queue-start")...)
		frame(at.Add(8*time.Second), "CUSTOM", append(cc, "CC-Action", "bridge-agent-start", "CC-Agent", "agent@default",
			"CC-Agent-Answered-Time", fmt.Sprint(at.Add(8*time.Second).Unix()))...)
		frame(at.Add(300*time.Second), "CUSTOM", append(cc, "CC-Action", "member-queue-end", "CC-Cause", "Terminated",
			"CC-Agent", "agent@default", "CC-Member-Leaving-Time", fmt.Sprint(at.Add(300*time.Second).Unix()))...)
		frame(at.Add(300*time.Second), "CHANNEL_HANGUP_COMPLETE", "Unique-ID", id, "variable_cc_side", "member",
			"variable_cc_record_filename", "/recordings/"+id+".wav")
	}
	return out
}

// BenchmarkFreeSWITCH_Ingest: frames from the fake switch to stored call
// records, on SQLite, as fast as they come over loopback.
func BenchmarkFreeSWITCH_Ingest(b *testing.B) {
	const calls = 2000
	frames := eslFrames(calls)
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		db, _ := openWithAgent(b, "sqlite")
		sw := ctitest.StartSwitch(b, "ClueCon", frames, -1)
		b.StartTimer()
		began := time.Now()
		f, stop := runAdapter(b, db, sw.Addr(), "ClueCon")
		for {
			p, err := db.StreamPosition(b.Context(), f.Stream())
			if err != nil {
				b.Fatal(err)
			}
			if p.Seq == int64(len(frames)) {
				break
			}
			time.Sleep(time.Millisecond)
		}
		took := time.Since(began)
		stop()
		b.ReportMetric(float64(f.Stats().Events)/took.Seconds(), "events/s")
		b.ReportMetric(float64(len(frames))/took.Seconds(), "frames/s")
	}
}
