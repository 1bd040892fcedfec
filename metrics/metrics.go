// Package metrics holds the server's Prometheus metrics: one registry per
// process, made in main and handed to the web server and the jobs (no
// package globals), served at /metrics.
package metrics

import (
	"database/sql"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics are the families the hotline exports.
type Metrics struct {
	Registry *prometheus.Registry

	// Requests: latency by route pattern, method and status.
	Requests *prometheus.HistogramVec
	// Streams is the number of open event streams (live pages).
	Streams prometheus.Gauge
	// LoginFailures counts refused logins (wrong password, locked, limited).
	LoginFailures prometheus.Counter
	// JobRuns: duration of background job passes by job (sweep, indexer).
	JobRuns *prometheus.HistogramVec
	// Backlog: work a job has left after its pass (tickets to index).
	Backlog *prometheus.GaugeVec
}

// New makes the metrics with the Go runtime and process collectors.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "hotline_http_request_duration_seconds",
			Help:    "HTTP request latency by route pattern, method and status.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}}, []string{"route", "method", "status"}),
		Streams:       prometheus.NewGauge(prometheus.GaugeOpts{Name: "hotline_event_streams", Help: "Open event streams (live pages)."}),
		LoginFailures: prometheus.NewCounter(prometheus.CounterOpts{Name: "hotline_login_failures_total", Help: "Refused logins."}),
		JobRuns: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "hotline_job_duration_seconds",
			Help: "Duration of background job passes.", Buckets: prometheus.ExponentialBuckets(.001, 4, 10)}, []string{"job"}),
		Backlog: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "hotline_job_backlog", Help: "Work a background job has left."}, []string{"job"}),
	}
	m.Registry.MustRegister(m.Requests, m.Streams, m.LoginFailures, m.JobRuns, m.Backlog,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// WatchPool exports a database pool's statistics (open, in use, idle,
// waits) under the name.
func (m *Metrics) WatchPool(name string, db *sql.DB) {
	m.Registry.MustRegister(collectors.NewDBStatsCollector(db, name))
}

// Gauges exports values read at each scrape (tickets by status): fn
// returns them by label value.
func (m *Metrics) Gauges(name, help, label string, fn func() (map[string]float64, error)) {
	m.Registry.MustRegister(&funcCollector{desc: prometheus.NewDesc(name, help, []string{label}, nil), fn: fn})
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{Registry: m.Registry})
}

type funcCollector struct {
	desc *prometheus.Desc
	fn   func() (map[string]float64, error)
}

// Describe implements prometheus.Collector.
func (c *funcCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

// Collect implements prometheus.Collector: the values of this scrape.
func (c *funcCollector) Collect(ch chan<- prometheus.Metric) {
	values, err := c.fn()
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.desc, err)
		return
	}
	for k, v := range values {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, v, k)
	}
}
