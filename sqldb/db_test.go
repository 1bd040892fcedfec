package sqldb_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"hotline"
	"hotline/sqldb"
	"hotline/sqldb/sqldbtest"
)

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time          { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// forEachDB runs fn as a subtest on every database.
func forEachDB(t *testing.T, fn func(t *testing.T, f *fixture)) {
	for _, d := range sqldbtest.Dialects() {
		t.Run(d, func(t *testing.T) { fn(t, MustFixture(t, d)) })
	}
}

// fixture is a database with a small city loaded.
type fixture struct {
	DB      *sqldb.DB
	DSN     string
	Clock   *clock
	Units   map[string]*hotline.Unit
	Cat     *hotline.Category // a level-3 category
	Actors  map[string]hotline.Actor
	Context context.Context
}

// MustOpenDB opens a database on dsn with the fixture's clock.
func MustOpenDB(tb testing.TB, dsn string, c *clock) *sqldb.DB {
	tb.Helper()
	db := sqldbtest.Open(tb, dsn)
	db.Now = c.Now
	return db
}

// MustFixture opens a fresh database and loads units, categories, users,
// the calendar and the default policies. The clock starts on Monday
// 2026-11-23 09:00 in Pingxiang.
func MustFixture(tb testing.TB, dialect string) *fixture {
	tb.Helper()
	return mustFixtureAt(tb, sqldbtest.DSN(tb, dialect))
}

// mustFixtureAt is MustFixture on a given database.
func mustFixtureAt(tb testing.TB, dsn string) *fixture {
	tb.Helper()
	ctx := context.Background()
	c := &clock{t: time.Date(2026, 11, 23, 9, 0, 0, 0, hotline.ChinaZone)}
	f := &fixture{DSN: dsn, Clock: c, Units: map[string]*hotline.Unit{}, Actors: map[string]hotline.Actor{}, Context: ctx}
	f.DB = MustOpenDB(tb, f.DSN, c)
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	must(f.DB.SeedCalendar(ctx))
	must(f.DB.SeedSLAPolicies(ctx))
	for _, u := range []*hotline.Unit{
		{Code: "px", Name: "萍乡市", Kind: hotline.UnitCity},
		{Code: "px-water", Name: "萍乡市水务集团", Kind: hotline.UnitUtility},
		{Code: "px-power", Name: "国网萍乡供电公司", Kind: hotline.UnitUtility},
		{Code: "px-anyuan", Name: "安源区", Kind: hotline.UnitDistrict},
	} {
		if u.Code != "px" {
			u.ParentID = f.Units["px"].ID
		}
		must(f.DB.CreateUnit(ctx, sqldb.SystemActor, u))
		f.Units[u.Code] = u
	}
	_, err := f.DB.ImportCategories(ctx, sqldb.SystemActor, [][]string{{"城乡建设", "供水", "停水"}, {"城乡建设", "供电", "停电"}})
	must(err)
	cats, err := f.DB.FindCategories(ctx)
	must(err)
	for _, cat := range cats {
		if cat.Path == "城乡建设/供水/停水" {
			f.Cat = cat
		}
	}
	for name, u := range map[string]*hotline.User{
		"admin":      {Role: hotline.RoleAdmin},
		"agent":      {Role: hotline.RoleCallAgent},
		"dispatcher": {Role: hotline.RoleDispatcher},
		"lead":       {Role: hotline.RoleTeamLead},
		"callback":   {Role: hotline.RoleCallbackAgent},
		"water":      {Role: hotline.RoleUnit, UnitID: f.Units["px-water"].ID},
		"power":      {Role: hotline.RoleUnit, UnitID: f.Units["px-power"].ID},
	} {
		u.Username = name
		must(f.DB.CreateUser(ctx, sqldb.SystemActor, u, "hotline12345"))
		f.Actors[name] = hotline.ActorOf(u)
	}
	return f
}

// mustReveal reads a ticket's requester unmasked, as a team lead would
// (the one way to it: every other read is masked).
func mustReveal(tb testing.TB, db *sqldb.DB, f *fixture, id int64) hotline.Requester {
	tb.Helper()
	r, err := db.RevealRequester(f.Context, f.Actors["lead"], id, "测试核对")
	if err != nil {
		tb.Fatal(err)
	}
	return r
}

// NewTicket accepts a water complaint as the agent.
func (f *fixture) NewTicket(tb testing.TB, phone string, submit bool) *hotline.Ticket {
	tb.Helper()
	t := &hotline.Ticket{Channel: hotline.ChannelPhone, AppealKind: hotline.Complaint, CategoryID: f.Cat.ID,
		Urgency: hotline.Normal, Title: "小区停水三天", Content: "安源区凤凰街小区停水三天无人处理",
		Requester: hotline.Requester{Name: "李四", Phone: phone, Address: "凤凰街1号"},
		Location:  hotline.Location{Address: "安源区凤凰街", UnitID: f.Units["px-anyuan"].ID}}
	if err := f.DB.CreateTicket(f.Context, f.Actors["agent"], t, submit); err != nil {
		tb.Fatal(err)
	}
	return t
}

// Do applies an action that must succeed.
func (f *fixture) Do(tb testing.TB, who string, id int64, cmd hotline.Command) *hotline.Ticket {
	tb.Helper()
	t, err := f.DB.ApplyAction(f.Context, f.Actors[who], id, cmd)
	if err != nil {
		tb.Fatalf("%s by %s: %v", cmd.Action, who, err)
	}
	return t
}

func TestMigrations_Paired(t *testing.T) {
	lite, err := sqldb.MigrationNames("sqlite")
	if err != nil {
		t.Fatal(err)
	}
	pg, err := sqldb.MigrationNames("postgres")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(lite, ",") != strings.Join(pg, ",") || len(lite) == 0 {
		t.Errorf("migrations differ: sqlite %v, postgres %v", lite, pg)
	}
}

func TestOpen_Reopen(t *testing.T) {
	forEachDB(t, func(t *testing.T, f *fixture) {
		tk := f.NewTicket(t, "13800001111", true)
		f.DB.Close()
		db := MustOpenDB(t, f.DSN, f.Clock) // migrations already applied: a no-op
		got, err := db.FindTicketByID(f.Context, f.Actors["dispatcher"], tk.ID)
		if err != nil {
			t.Fatal(err)
		}
		if req := mustReveal(t, db, f, tk.ID); got.Number != tk.Number || req.Phone != "13800001111" || got.Status != hotline.StatusPendingDispatch {
			t.Errorf("reopened ticket %+v", got)
		}
	})
}
