package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"hotline/sqldb"
	"hotline/sqldb/sqldbtest"
)

// BenchmarkPortal_Submit files citizens' appeals through real HTTP from
// 32 concurrent clients, limits off (each phone's code issued before the
// clock starts, as the texts would have been), with the receipt texted
// to the file gateway; reports appeals/s and latency percentiles.
func BenchmarkPortal_Submit(b *testing.B) {
	for _, d := range sqldbtest.Dialects() {
		b.Run(d, func(b *testing.B) {
			p := mustPortal(b, d, 0)
			ctx := context.Background()
			codes := make([]string, b.N)
			for i := range codes {
				c, err := p.db.Portal().IssueCode(ctx, fmt.Sprintf("139%08d", i), sqldb.CodeSubmit)
				if err != nil {
					b.Fatal(err)
				}
				codes[i] = c
			}
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			runLoad(b, "appeals/s", func(i int) error {
				form := url.Values{"kind": {"complaint"}, "category_id": {strconv.FormatInt(p.cat, 10)}, "title": {"小区路灯不亮"},
					"content": {"金典城小区东门路灯坏了一个月，晚上出行不便。"}, "place": {"安源区金典城小区"}, "name": {"李四"},
					"phone": {fmt.Sprintf("139%08d", i)}, "code": {codes[i]}}
				resp, err := client.Post(p.srv.URL+"/portal/appeal", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
				if err != nil {
					return err
				}
				resp.Body.Close()
				if resp.StatusCode != 303 {
					return fmt.Errorf("status %d", resp.StatusCode)
				}
				return nil
			})
		})
	}
}
