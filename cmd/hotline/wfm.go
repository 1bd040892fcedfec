package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"

	"hotline/web"
	"hotline/wfm"
)

const wfmUsage = `用法:
  hotline wfm erlang --calls N --aht-seconds S [--interval-minutes 30] [--target-seconds 15] [--service-level 0.8]
                     [--patience-seconds S] [--max-occupancy 0.9] [--shrinkage 0.3]
按 Erlang C（给出平均耐心时长时按 Erlang A）计算达到服务水平和占用率上限所需的最少坐席数，
输出与 GET /api/v1/wfm/erlang 相同的 JSON。`

// runWFM is the workforce calculator: the API's Erlang answer offline.
func runWFM(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "erlang" {
		return fmt.Errorf("%s", wfmUsage)
	}
	fs := newFlagSet("wfm erlang", wfmUsage, stderr)
	names := []string{"calls", "aht_seconds", "interval_minutes", "target_seconds", "service_level", "patience_seconds", "max_occupancy", "shrinkage"}
	values := map[string]*string{}
	for _, n := range names {
		values[n] = fs.String(strings.ReplaceAll(n, "_", "-"), "", "见 GET /api/v1/wfm/erlang 的 "+n)
	}
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	q := url.Values{}
	for n, v := range values {
		if *v != "" {
			q.Set(n, *v)
		}
	}
	need, err := web.ErlangQuery(q)
	if err != nil {
		return describe(err)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(web.ErlangJSON(need, wfm.Required(need)))
}
