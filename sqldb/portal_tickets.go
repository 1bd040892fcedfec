package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"

	"hotline"
)

// PortalAppeal is an appeal as a citizen files it on the portal.
type PortalAppeal struct {
	Kind         hotline.AppealKind
	CategoryID   int64
	Title        string
	Content      string
	Place        string
	Name         string
	Phone        string
	Code         string // the SMS code sent to Phone
	Anonymous    bool
	Confidential bool
}

// ratingNames name the ratings for the citizen.
var ratingNames = map[hotline.Rating]string{hotline.Satisfied: "满意", hotline.BasicallySatisfied: "基本满意", hotline.Unsatisfied: "不满意"}

// CitizenRater is who records a citizen's own rating (web or SMS reply)
// as the ticket's callback result.
var CitizenRater = hotline.Actor{Name: "市民自评", Role: hotline.RoleCallbackAgent}

// SubmitAppeal files a citizen's appeal: its fields checked first (a bad
// field stores nothing and spends no code), at most AppealsPerDay from
// one phone, the phone's code spent with it; the ticket waits in 待提交
// (channel web) for the centre to check before dispatch.
func (p *Portal) SubmitAppeal(ctx context.Context, a PortalAppeal) (*hotline.Ticket, error) {
	phone, err := mobile("phone", a.Phone)
	if err != nil {
		return nil, err
	}
	t := &hotline.Ticket{Channel: hotline.ChannelWeb, AppealKind: a.Kind, CategoryID: a.CategoryID, Urgency: hotline.Normal,
		Title: a.Title, Content: a.Content, Location: hotline.Location{Address: a.Place}, Confidential: a.Confidential,
		Requester: hotline.Requester{Name: a.Name, Phone: phone, Anonymous: a.Anonymous}}
	if a.Anonymous {
		t.Requester.Name = ""
	}
	check := *t
	if err := check.Validate(); err != nil {
		return nil, err
	}
	var today int
	if err := p.db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM tickets WHERE requester_phone_key = $1 AND channel = 'web' AND created_at >= $2`,
		p.db.Requesters.PhoneKey(phone), p.db.Now().Add(-24*time.Hour).UnixMilli()).Scan(&today); err != nil {
		return nil, err
	}
	if today >= p.Limits.AppealsPerDay {
		return nil, hotline.Errorf(hotline.ETooMany, "该手机号今天已提交 %d 件诉求，请明天再提交或拨打 12345", today)
	}
	err = p.withCode(ctx, phone, CodeSubmit, a.Code, func(tx *Tx) error {
		actor, err := portalActor(ctx, tx)
		if err != nil {
			return err
		}
		return p.db.createTicket(ctx, tx, actor, t, false)
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// PublicTicket is a ticket as its citizen sees it: no internal notes,
// no staff names, no other party's data.
type PublicTicket struct {
	ID        int64        `json:"-"`
	Number    string       `json:"number"`
	Status    string       `json:"status"`
	Title     string       `json:"title"`
	Content   string       `json:"content"`
	CreatedAt time.Time    `json:"created_at"`
	Steps     []PublicStep `json:"steps"`
	Reply     string       `json:"reply,omitempty"`
	CanRate   bool         `json:"can_rate"`
	Rating    string       `json:"rating,omitempty"`
}

// PublicStep is a step of the public timeline.
type PublicStep struct {
	At   time.Time `json:"at"`
	What string    `json:"what"`
}

// publicSteps are the steps a citizen is told of, in plain words.
var publicSteps = map[hotline.Action]string{
	hotline.ActionAccept: "诉求已受理", hotline.ActionSubmit: "已审核，等待派单", hotline.ActionResolveOnCall: "已当场答复办结",
	hotline.ActionDispatch: "已派发承办单位", hotline.ActionTransfer: "已转派承办单位", hotline.ActionAcknowledge: "承办单位已签收",
	hotline.ActionReply: "承办单位已答复", hotline.ActionReview: "中心已审核答复", hotline.ActionSupervise: "中心已督办",
	hotline.ActionCallback: "已回访", hotline.ActionReopen: "重新办理", hotline.ActionMergedReply: "已随同类诉求一并答复",
	hotline.ActionCancel: "已撤销", hotline.ActionArchive: "已归档",
}

// FindPublicTicket shows a ticket to the citizen who filed it: the number
// and the phone must match (an unknown pair is not found either way);
// the phone's query code is spent with it.
func (p *Portal) FindPublicTicket(ctx context.Context, number, phone, code string) (*PublicTicket, error) {
	phone, err := mobile("phone", phone)
	if err != nil {
		return nil, err
	}
	var out *PublicTicket
	err = p.withCode(ctx, phone, CodeQuery, code, func(tx *Tx) error {
		out, err = p.publicTicket(ctx, tx, strings.TrimSpace(number), phone)
		return err
	})
	return out, err
}

// ViewPublicTicket shows the ticket again to a browser that verified
// its phone (the web keeps a ViewToken for a while).
func (p *Portal) ViewPublicTicket(ctx context.Context, number string) (*PublicTicket, error) {
	tx, err := p.db.beginRead(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return p.publicTicket(ctx, tx, number, "")
}

// publicTicket reads the ticket with the number; with a phone, only if
// it is the requester's.
func (p *Portal) publicTicket(ctx context.Context, tx *Tx, number, phone string) (*PublicTicket, error) {
	var id int64
	var key string
	err := tx.QueryRowContext(ctx, `SELECT id, requester_phone_key FROM tickets WHERE number = $1`, number).Scan(&id, &key)
	if errors.Is(err, sql.ErrNoRows) || err == nil && phone != "" && key != p.db.Requesters.PhoneKey(phone) {
		return nil, hotline.Errorf(hotline.ENotFound, "未找到该工单，请核对工单编号和手机号")
	} else if err != nil {
		return nil, err
	}
	t, err := findTicket(ctx, tx, id, false)
	if err != nil {
		return nil, err
	}
	v := &PublicTicket{ID: t.ID, Number: t.Number, Status: t.Status.Label(), Title: t.Title, Content: t.Content, CreatedAt: t.CreatedAt,
		Steps: []PublicStep{}}
	if t.Status == hotline.StatusConcluded || t.Status == hotline.StatusArchived {
		v.Reply = t.Reply
		v.CanRate = !t.CallbackDone && !t.ResolvedOnCall
	}
	if t.Rating.Valid() {
		v.Rating = ratingNames[t.Rating]
	}
	evs, err := findEvents(ctx, tx, t.ID)
	if err != nil {
		return nil, err
	}
	for _, ev := range evs {
		if what, ok := publicSteps[ev.Action]; ok {
			v.Steps = append(v.Steps, PublicStep{At: ev.CreatedAt, What: what})
		}
	}
	return v, nil
}

// RateAsCitizen records the citizen's own rating of a concluded ticket
// as its callback result (via is "网上" or "短信"); audited as any
// callback.
func (p *Portal) RateAsCitizen(ctx context.Context, ticketID int64, rating hotline.Rating, via string) (*hotline.Ticket, error) {
	if !rating.Valid() {
		return nil, hotline.Invalid("rating", "请选择满意、基本满意或不满意")
	}
	reached, resolved := true, rating != hotline.Unsatisfied
	return p.db.ApplyAction(ctx, CitizenRater, ticketID, hotline.Command{Action: hotline.ActionCallback, Reached: &reached, Rating: rating,
		Resolved: &resolved, Note: "市民" + via + "评价"})
}

// ViewToken is a keyed token that lets the browser that verified the
// requester's phone see the ticket until expires.
func (p *Portal) ViewToken(number string, expires time.Time) string {
	exp := strconv.FormatInt(expires.Unix(), 10)
	return exp + "." + p.db.keys.BlindIndex("view:"+number+":"+exp)
}

// CheckViewToken reports whether token is ViewToken's for the ticket and
// has not expired.
func (p *Portal) CheckViewToken(token, number string) bool {
	exp, _, ok := strings.Cut(token, ".")
	sec, err := strconv.ParseInt(exp, 10, 64)
	if !ok || err != nil || time.Unix(sec, 0).Before(p.db.Now()) {
		return false
	}
	return p.ViewToken(number, time.Unix(sec, 0)) == token
}

// Sign is a keyed signature of s (the portal's proof-of-work
// challenges: any instance checks what another issued).
func (p *Portal) Sign(s string) string { return p.db.keys.BlindIndex("pow:" + s) }

// AddPhoto attaches a citizen's photo to the appeal just filed, as the
// portal's account.
func (p *Portal) AddPhoto(ctx context.Context, ticketID int64, name string, data []byte) error {
	tx, err := p.db.begin(ctx)
	if err != nil {
		return err
	}
	actor, err := portalActor(ctx, tx)
	if err == nil {
		err = tx.Commit()
	}
	tx.Rollback()
	if err != nil {
		return err
	}
	_, err = p.db.AddTicketAttachment(ctx, actor, ticketID, name, data)
	return err
}
