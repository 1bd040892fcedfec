package hotline

// Automatic dispatch (智能派单): a ticket just submitted goes to a unit
// without a dispatcher when the centre has switched it on (a confidence
// threshold), the unit model is at least that sure, and the dispatch
// catalogue — still the authority — names the same unit or none.

// AutoDispatcher is who dispatches automatically, in the timeline and the
// audit log.
var AutoDispatcher = Actor{Name: "智能派单", Role: RoleDispatcher}

// UnitGuess is the unit model's first unit for a ticket's text, with its
// probability and the model that made it.
type UnitGuess struct {
	ModelID int64
	UnitID  int64
	Prob    float64
}

// AutoDispatchCommand decides automatic dispatch of t: the dispatch to
// take, or false when a person decides (off, the model unsure, the
// catalogue naming another unit, the ticket not waiting for dispatch).
// The catalogue's co-units come along.
func AutoDispatchCommand(t *Ticket, threshold float64, g *UnitGuess, catalogue *CatalogueEntry) (Command, bool) {
	if t.Status != StatusPendingDispatch || threshold <= 0 || g == nil || g.UnitID == 0 || g.Prob < threshold {
		return Command{}, false
	}
	cmd := Command{Action: ActionDispatch, LeadUnitID: g.UnitID}
	if catalogue != nil && catalogue.LeadUnitID != 0 {
		if catalogue.LeadUnitID != g.UnitID {
			return Command{}, false
		}
		cmd.CoUnitIDs = catalogue.CoUnitIDs
	}
	return cmd, true
}
