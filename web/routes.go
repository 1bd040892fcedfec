package web

import (
	"io"
	"io/fs"
	"net/http"
	"strings"

	"hotline"
	"hotline/sqldb"
)

// access is who may reach a route before its handler runs.
type access int

const (
	public      access = iota // anyone: health, the login page, static files
	login                     // anyone, rate-limited per address: the logins
	api                       // a signed-in API client (bearer token, or a browser's cookie with CSRF)
	browser                   // a signed-in browser page; without a session, sent to the login page
	integration               // a partner system with an integration key of the route's scope (perm)
	citizen                   // anyone, rate-limited per address (PortalPerMinute): the citizen portal
)

// route is one line of the route table.
type route struct {
	pattern string
	access  access
	// perm is checked before the handler; "" when the use case checks the
	// actor itself (a ticket's unit, the lifecycle's role × action table,
	// a reveal's rights) — storage refuses what the actor may not do.
	perm    hotline.Permission
	handler http.HandlerFunc
}

// routeTable is every page and API route of the server, with who may use
// it: the one place to see the whole surface (TestPrivacy_EveryRouteMasked
// walks it).
func (s *Server) routeTable() []route {
	const (
		config = hotline.PermManageConfig
		users  = hotline.PermManageUsers
	)
	return []route{
		// Health and operations (ops.go).
		{"GET /healthz", public, "", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok\n") }},
		{"GET /readyz", public, "", s.handleReady},
		{"GET /metrics", public, "", s.handleMetrics}, // loopback or the metrics token

		// Sign-in, sessions, accounts (api_auth.go, api_users.go, pages.go).
		{"POST /api/v1/auth/login", login, "", s.handleLogin},
		{"POST /api/v1/auth/session", login, "", s.handleSessionLogin},
		{"POST /api/v1/auth/logout", api, "", s.handleLogout},
		{"POST /api/v1/auth/logout-all", api, "", s.handleLogoutAll},
		{"GET /api/v1/auth/tokens", api, "", s.handleTokens},
		{"DELETE /api/v1/auth/tokens/{id}", api, "", s.handleRevokeToken},
		{"GET /api/v1/me", api, "", s.handleMe},
		{"POST /api/v1/me/password", api, "", s.handleChangePassword},
		{"GET /api/v1/users", api, users, s.handleUsers},
		{"POST /api/v1/users", api, users, s.handleCreateUser},
		{"PATCH /api/v1/users/{id}", api, users, s.handleUpdateUser},
		{"POST /api/v1/users/{id}/reset-password", api, users, s.handleResetPassword},
		{"GET /api/v1/audit", api, hotline.PermReadAudit, s.handleAudit},
		{"GET /api/v1/events", api, "", s.handleEvents},
		{"GET /login", public, "", s.handleLoginPage},
		{"POST /login", login, "", s.handleLoginForm},
		{"POST /logout", browser, "", s.handleLogoutForm},
		{"GET /lang/{name}", public, "", s.handleLang},
		{"GET /me/sessions", browser, "", s.handleSessionsPage},
		{"POST /me/sessions/{id}/revoke", browser, "", s.handleRevokeForm},
		{"POST /me/sessions/revoke-all", browser, "", s.handleRevokeAllForm},
		{"GET /me/password", browser, "", s.handlePasswordPage},
		{"POST /me/password", browser, "", s.handlePasswordForm},
		{"GET /admin/users", browser, users, s.handleAdminUsers},
		{"POST /admin/users", browser, users, s.handleAdminUserSave},
		{"POST /admin/users/{id}", browser, users, s.handleAdminUserUpdate},
		{"POST /admin/users/{id}/reset-password", browser, users, s.handleAdminUserReset},
		{"POST /admin/alerts/{id}/resolve", browser, users, s.handleResolveAlert},
		{"GET /admin/audit", browser, "", s.handleAuditPage}, // the audit search says who may read it

		// Tickets (api_ticket.go, page_list.go, page_ticket.go, page_intake.go, page_export.go).
		{"POST /api/v1/tickets", api, "", s.handleCreateTicket},
		{"GET /api/v1/tickets", api, "", s.handleListTickets},
		{"GET /api/v1/tickets/{id}", api, "", s.handleGetTicket},
		{"GET /api/v1/caller-history", api, "", s.handleCallerHistory}, // limited and audited by the lookup itself
		{"GET /api/v1/tickets/{id}/supervisions", api, "", s.handleSupervisions},
		{"POST /api/v1/tickets/{id}/reveal", api, "", s.handleReveal},
		{"POST /api/v1/tickets/{id}/{action}", api, "", s.handleAction},
		{"POST /api/v1/tickets/{id}/attachments", api, "", s.handleAddAttachments},
		{"GET /api/v1/attachments/{id}", api, "", s.handleAttachment},
		{"GET /api/v1/attachments/{id}/thumbnail", api, "", s.handleAttachment},
		{"GET /api/v1/tickets/similar", api, "", s.handleSimilarTickets},
		{"GET /{$}", browser, "", s.handleHome},
		{"GET /tickets", browser, "", s.handleTicketList},
		{"GET /tickets/export.xlsx", browser, "", s.handleExport},
		{"GET /tickets/{id}", browser, "", s.handleTicketPage},
		{"POST /tickets/{id}/reveal", browser, "", s.handleRevealForm},
		{"POST /tickets/{id}/act/{action}", browser, "", s.handleActionForm},
		{"POST /tickets/{id}/attachments", browser, "", s.handleAttachmentForm},
		{"GET /queue/{name}", browser, "", s.handleQueue},
		{"GET /board", browser, "", s.handleBoard},
		{"GET /api/v1/supervision/board", api, "", s.handleBoardAPI},

		// Telephony (api_calls.go).
		{"POST /api/v1/cti/events", integration, sqldb.ScopeCTI, s.handleCallEvents},
		{"POST /api/v1/calls/{id}/recording", integration, sqldb.ScopeCTI, s.handleUploadRecording},
		{"GET /api/v1/calls/{id}/recording", api, "", s.handleRecording}, // inspectors, team leads, managers; an agent its own
		{"GET /api/v1/calls/stats", api, "", s.handleCallStats},          // the centre's figures, or an agent's own
		{"GET /calls", browser, "", s.handleCallsPage},
		{"GET /calls/missed", browser, "", s.handleMissedPage},
		{"GET /calls/{id}", browser, "", s.handleCallPage}, // by the platform's call id
		{"GET /calls/wall", browser, hotline.PermCallStats, s.handleWallPage},
		{"POST /me/seat", browser, "", s.handleSeatForm},
		{"POST /calls/{id}/reveal", browser, "", s.handleMissedReveal},
		{"POST /calls/{id}/callback", browser, "", s.handleMissedCallback},
		{"POST /api/v1/tickets/{id}/calls", api, "", s.handleLinkCall},
		{"POST /tickets/{id}/calls", browser, "", s.handleLinkCallForm},
		{"GET /events", browser, "", s.handleEvents},
		{"GET /intake", browser, "", s.handleIntakePage},
		{"POST /intake", browser, "", s.handleIntakeForm},

		// Quality inspection (api_quality.go).
		{"GET /api/v1/inspections", api, "", s.handleInspections}, // quality staff and managers; an agent its own
		{"GET /api/v1/inspections/{id}", api, "", s.handleInspection},
		{"POST /api/v1/inspections/{id}/{action}", api, "", s.handleInspectionAction},
		{"GET /api/v1/quality/scorecards", api, "", s.handleScorecards},
		{"POST /api/v1/quality/scorecards", api, "", s.handleSaveScorecard},
		{"GET /api/v1/quality/coverage", api, "", s.handleCoverage},
		{"POST /api/v1/quality/samples", api, "", s.handleDrawSample},
		{"GET /api/v1/quality/figures", api, "", s.handleQualityFigures},
		{"GET /api/v1/quality/live-monitoring", api, "", s.handleLiveMonitoring},
		{"POST /api/v1/quality/live-monitoring", api, "", s.handleStartMonitoring},
		{"POST /api/v1/quality/live-monitoring/{id}/end", api, "", s.handleEndMonitoring},
		{"POST /quality/monitor", browser, "", s.handleMonitorForm},
		{"GET /api/v1/rectifications", api, "", s.handleRectifications},
		{"POST /api/v1/rectifications", api, "", s.handleRaiseRectification},
		{"GET /api/v1/rectifications/{id}", api, "", s.handleRectification},
		{"POST /api/v1/rectifications/{id}/{step}", api, "", s.handleRectStep},
		{"GET /quality/rectifications", browser, "", s.handleRectificationsPage},
		{"POST /quality/rectifications", browser, "", s.handleRectForm},
		{"GET /quality/rectifications/{id}", browser, "", s.handleRectificationPage},
		{"POST /quality/rectifications/{id}/{step}", browser, "", s.handleRectForm},
		{"GET /quality", browser, "", s.handleQualityPage},
		{"GET /quality/figures", browser, "", s.handleQualityFiguresPage},
		{"POST /quality/samples", browser, "", s.handleSampleForm},
		{"GET /quality/scorecards", browser, "", s.handleScorecardsPage},
		{"POST /quality/scorecards", browser, "", s.handleScorecardForm},
		{"GET /quality/inspections/{id}", browser, "", s.handleInspectionPage},
		{"POST /quality/inspections/{id}/{action}", browser, "", s.handleInspectionForm},

		// Reference data and the centre's rules (api_reference.go, page_admin.go).
		{"GET /api/v1/units", api, "", s.handleUnits},
		{"POST /api/v1/units", api, "", s.handleCreateUnit},
		{"GET /api/v1/categories", api, "", s.handleCategories},
		{"GET /api/v1/calendar/{year}", api, "", s.handleCalendar},
		{"PUT /api/v1/calendar/days/{day}", api, "", s.handleSetCalendarDay},
		{"GET /api/v1/sla-policies", api, "", s.handlePolicies},
		{"PUT /api/v1/sla-policies", api, "", s.handleSetPolicy},
		{"GET /api/v1/catalogue", api, "", s.handleCatalogue},
		{"POST /api/v1/catalogue", api, "", s.handlePublishCatalogue},
		{"GET /api/v1/catalogue/suggest", api, "", s.handleSuggest},
		{"GET /admin/calendar", browser, config, s.handleAdminCalendar},
		{"POST /admin/calendar", browser, config, s.handleAdminCalendarSave},
		{"GET /admin/sla", browser, config, s.handleAdminSLA},
		{"POST /admin/sla", browser, config, s.handleAdminSLASave},
		{"GET /admin/units", browser, config, s.handleAdminUnits},
		{"POST /admin/units", browser, config, s.handleAdminUnitSave},
		{"GET /admin/categories", browser, config, s.handleAdminCategories},
		{"POST /admin/categories", browser, config, s.handleAdminCategoriesSave},
		{"GET /admin/catalogue", browser, config, s.handleAdminCatalogue},
		{"POST /admin/catalogue", browser, config, s.handleAdminCatalogueSave},

		// Knowledge base (api_kb.go, page_kb.go).
		{"POST /api/v1/kb/articles", api, "", s.handleCreateArticle},
		{"GET /api/v1/kb/articles/{id}", api, "", s.handleGetArticle},
		{"PUT /api/v1/kb/articles/{id}", api, "", s.handleUpdateArticle},
		{"GET /api/v1/kb/articles/{id}/versions", api, "", s.handleArticleVersions},
		{"POST /api/v1/kb/articles/{id}/{action}", api, "", s.handleReviewArticle},
		{"GET /api/v1/kb/search", api, "", s.handleSearchArticles},
		{"GET /api/v1/kb/review-queue", api, "", s.handleReviewQueue},
		{"GET /api/v1/kb/stats", api, "", s.handleKBStats},
		{"GET /api/v1/kb/dictionary", api, "", s.handleGetDictionary},
		{"PUT /api/v1/kb/dictionary", api, "", s.handlePutDictionary},
		{"POST /api/v1/tickets/{id}/kb-links", api, "", s.handleLinkArticle},
		{"GET /kb", browser, "", s.handleKBPage},
		{"GET /kb/new", browser, "", s.handleKBEditPage},
		{"POST /kb/new", browser, "", s.handleKBEditForm},
		{"GET /kb/review", browser, "", s.handleKBReviewPage},
		{"GET /kb/export.xlsx", browser, "", s.handleKBExport},
		{"POST /kb/dictionary", browser, "", s.handleKBDictionaryForm},
		{"GET /kb/{id}", browser, "", s.handleKBArticlePage},
		{"GET /kb/{id}/edit", browser, "", s.handleKBEditPage},
		{"POST /kb/{id}/edit", browser, "", s.handleKBEditForm},
		{"POST /kb/{id}/review/{action}", browser, "", s.handleKBReviewForm},
		{"GET /kb/{id}/versions", browser, "", s.handleKBVersionsPage},
		{"POST /kb/{id}/attachments", browser, "", s.handleKBAttachForm},
		{"GET /kb/{id}/attachments/{aid}", browser, "", s.handleKBAttachment},

		// Smart dispatch (api_dispatch.go, dispatch.go).
		{"GET /api/v1/dispatch/suggest", api, "", s.handleDispatchSuggest},
		{"GET /api/v1/dispatch/models", api, "", s.handleDispatchModels},
		{"POST /api/v1/dispatch/models/train", api, "", s.handleDispatchTrain},
		{"POST /api/v1/dispatch/models/{id}/activate", api, "", s.handleDispatchActivate},
		{"GET /api/v1/dispatch/figures", api, "", s.handleDispatchFigures},
		{"PUT /api/v1/dispatch/auto", api, "", s.handleSetAutoDispatch},
		{"PUT /api/v1/dispatch/retrain", api, "", s.handleSetRetrain},
		{"GET /admin/dispatch", browser, config, s.handleDispatchPage},
		{"POST /admin/dispatch/auto", browser, config, s.handleAutoDispatchForm},
		{"POST /admin/dispatch/retrain", browser, config, s.handleRetrainForm},
		{"POST /admin/dispatch/train", browser, config, s.handleDispatchTrainForm},
		{"POST /admin/dispatch/{id}/activate", browser, config, s.handleDispatchActivateForm},
		{"GET /dispatch/figures", browser, "", s.handleDispatchFiguresPage},

		// Statistics (统计分析).
		{"GET /api/v1/stats/summary", api, hotline.PermStats, s.handleStatsSummary},
		{"GET /api/v1/stats/units", api, hotline.PermStats, s.handleStatsUnits},
		{"GET /stats", browser, hotline.PermStats, s.handleStatsPage("volume")},
		{"GET /stats/units", browser, hotline.PermStats, s.handleStatsPage("units")},
		{"GET /stats/service", browser, hotline.PermStats, s.handleStatsPage("service")},
		{"GET /stats/ledgers", browser, hotline.PermStats, s.handleStatsPage("ledgers")},
		{"GET /stats/hotspots", browser, hotline.PermStats, s.handleStatsPage("hotspots")},
		{"GET /api/v1/hotspots", api, hotline.PermStats, s.handleHotspots},
		{"GET /stats/warnings", browser, hotline.PermStats, s.handleWarningsPage},
		{"POST /stats/warnings/{id}", browser, hotline.PermHandleWarnings, s.handleWarningForm},
		{"GET /api/v1/warnings", api, hotline.PermStats, s.handleWarnings},
		{"GET /api/v1/wfm/erlang", api, hotline.PermCallStats, s.handleErlang},
		{"GET /api/v1/wfm/forecast", api, hotline.PermCallStats, s.handleForecast},
		{"GET /api/v1/wfm/adjustments", api, hotline.PermCallStats, s.handleAdjustments},
		{"POST /api/v1/wfm/adjustments", api, hotline.PermCallStats, s.handleAddAdjustment},
		{"DELETE /api/v1/wfm/adjustments/{id}", api, hotline.PermCallStats, s.handleRemoveAdjustment},
		{"GET /wfm/forecast", browser, hotline.PermCallStats, s.handleForecastPage},
		{"GET /api/v1/staff", api, hotline.PermManageStaff, s.handleStaff},
		{"POST /api/v1/staff", api, hotline.PermManageStaff, s.handleSaveStaff},
		{"PUT /api/v1/staff/{id}", api, hotline.PermManageStaff, s.handleSaveStaff},
		{"GET /staff", browser, hotline.PermManageStaff, s.handleStaffPage},
		{"POST /staff/questions", browser, hotline.PermManageStaff, s.handleQuestionsForm},
		{"GET /staff/training", browser, hotline.PermManageStaff, s.handleTrainingPage},
		{"GET /staff/reserve", browser, "", s.handleReservePage},
		{"GET /staff/rosters", browser, "", s.handleRosterPage},
		{"POST /staff/rosters", browser, hotline.PermManageStaff, s.handleRosterForm},
		{"GET /api/v1/rosters/{month}", api, "", s.handleRoster},
		{"POST /api/v1/rosters/{month}/generate", api, hotline.PermManageStaff, s.handleGenerateRoster},
		{"POST /api/v1/rosters/{month}/publish", api, hotline.PermManageStaff, s.handlePublishRoster},
		{"POST /api/v1/rosters/{month}/moves", api, hotline.PermManageStaff, s.handleMoveShift},
		{"GET /api/v1/roster-requests", api, "", s.handleRosterRequests},
		{"POST /api/v1/roster-requests", api, "", s.handleRequestRosterChange},
		{"POST /api/v1/roster-requests/{id}/decision", api, hotline.PermApproveRoster, s.handleDecideRosterRequest},
		{"GET /api/v1/roster-notices", api, "", s.handleRosterNotices},
		{"GET /api/v1/attendance/{month}", api, "", s.handleAttendance},
		{"POST /api/v1/attendance/punch", api, "", s.handlePunch},
		{"POST /api/v1/attendance/corrections", api, "", s.handleRequestCorrection},
		{"POST /api/v1/attendance/corrections/{id}/decision", api, hotline.PermApproveRoster, s.handleDecideCorrection},
		{"GET /staff/rosters/{file}", browser, "", s.handleRosterXLSX},
		{"POST /staff/rosters/moves", browser, hotline.PermManageStaff, s.handleMoveShiftForm},
		{"POST /staff/roster-requests", browser, "", s.handleRosterRequestForm},
		{"POST /staff/roster-requests/{id}", browser, hotline.PermApproveRoster, s.handleRosterDecisionForm},
		{"GET /staff/attendance", browser, "", s.handleAttendancePage},
		{"GET /staff/attendance/{file}", browser, "", s.handleAttendanceXLSX},
		{"POST /staff/attendance/punch", browser, "", s.handlePunchForm},
		{"POST /staff/attendance/corrections", browser, "", s.handleCorrectionForm},
		{"POST /staff/attendance/corrections/{id}", browser, hotline.PermApproveRoster, s.handleCorrectionDecisionForm},
		{"POST /staff/callups", browser, hotline.PermManageStaff, s.handleCallUpForm},
		{"POST /staff/callups/{id}/members/{member}", browser, hotline.PermManageStaff, s.handleCallUpMemberForm},
		{"GET /api/v1/reserve", api, "", s.handleReserve},
		{"GET /api/v1/callups", api, "", s.handleCallUps},
		{"POST /api/v1/callups", api, hotline.PermManageStaff, s.handleStartCallUp},
		{"POST /api/v1/callups/{id}/members/{member}", api, hotline.PermManageStaff, s.handleRecordCallUp},
		{"POST /staff/training", browser, hotline.PermManageStaff, s.handleTrainingForm},
		{"POST /api/v1/training/{id}/photos", api, hotline.PermManageStaff, s.handleAddTrainingPhotos},
		{"POST /staff/training/{id}/photos", browser, hotline.PermManageStaff, s.handleTrainingPhotoForm},
		{"GET /staff/training/photos/{id}", browser, "", s.handleTrainingPhoto},
		{"GET /staff/training/photos/{id}/thumbnail", browser, "", s.handleTrainingPhoto},
		{"GET /api/v1/training", api, hotline.PermManageStaff, s.handleTraining},
		{"POST /api/v1/training", api, hotline.PermManageStaff, s.handleAddTraining},
		{"POST /api/v1/exams/{bank}/questions", api, hotline.PermManageStaff, s.handleAddQuestions},
		{"POST /api/v1/exams/{bank}/start", api, "", s.handleStartExam},
		{"POST /api/v1/exam-attempts/{id}", api, "", s.handleSubmitExam},
		{"GET /exam/{bank}", browser, "", s.handleExamPage},
		{"POST /exam/{bank}/{attempt}", browser, "", s.handleExamForm},
		{"POST /staff", browser, hotline.PermManageStaff, s.handleStaffForm},
		{"POST /wfm/adjustments", browser, hotline.PermCallStats, s.handleAdjustmentForm},
		{"POST /wfm/adjustments/{id}/delete", browser, hotline.PermCallStats, s.handleAdjustmentRemoveForm},
		{"POST /api/v1/warnings/{id}", api, hotline.PermHandleWarnings, s.handleWarningUpdate},
		{"GET /stats/reports", browser, hotline.PermStats, s.handleReportsPage},
		{"GET /stats/reports/{period}/{key}", browser, hotline.PermStats, s.handleReportPage},
		{"POST /stats/reports/{period}/{key}", browser, hotline.PermWriteReports, s.handleReportSaveForm},
		{"POST /stats/reports/{period}/{key}/submit", browser, hotline.PermWriteReports, s.handleReportSubmitForm},
		{"GET /api/v1/ledgers/{file}", api, hotline.PermStats, s.handleLedgerExport},
		{"GET /api/v1/reports/{period}/{file}", api, hotline.PermStats, s.handleReport},
		{"PUT /api/v1/reports/{period}/{key}", api, hotline.PermWriteReports, s.handleReportSave},
		{"POST /api/v1/reports/{period}/{key}/submit", api, hotline.PermWriteReports, s.handleReportSubmit},
		{"GET /stats/{page}/export.xlsx", browser, hotline.PermStats, s.handleStatsExport},

		// Files, and what no route has.
		{"GET /static/", public, "", func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/") { // no directory listings
				s.handleNoPage(w, r)
				return
			}
			static, _ := fs.Sub(s.files, "static") // embedded, or the folder of Develop
			http.StripPrefix("/static/", http.FileServerFS(static)).ServeHTTP(w, r)
		}},
		{"/api/", public, "", func(w http.ResponseWriter, r *http.Request) {
			s.error(w, r, hotline.Errorf(hotline.ENotFound, "没有这个接口：%s %s", r.Method, r.URL.Path))
		}},
		{"POST /sms/inbound", public, "", s.handleSMSInbound},
		{"GET /disclosures", browser, hotline.PermDisclose, s.handleDisclosuresPage},
		{"GET /wechat/account", browser, hotline.PermEditKB, s.handleAccountPage},
		{"POST /wechat/account", browser, hotline.PermEditKB, s.handleAccountForm},
		{"GET /api/v1/wechat/contents", api, "", s.handleAccountContents},
		{"POST /disclosures", browser, hotline.PermDisclose, s.handleDisclosureForm},
		{"GET /api/v1/disclosures", api, hotline.PermDisclose, s.handleDisclosures},
		{"GET /portal/disclosures", citizen, "", s.handlePortalDisclosures},
		{"GET /portal/disclosures/{id}", citizen, "", s.handlePortalDisclosure},
		{"/wechat", public, "", s.handleWeChat},
		{"GET /portal", citizen, "", s.handlePortalHome},
		{"GET /portal/appeal", citizen, "", s.handlePortalAppealPage},
		{"POST /portal/appeal", citizen, "", s.handlePortalAppeal},
		{"POST /portal/code", citizen, "", s.handlePortalCode},
		{"GET /portal/done", citizen, "", s.handlePortalDone},
		{"GET /portal/query", citizen, "", s.handlePortalQueryPage},
		{"POST /portal/query", citizen, "", s.handlePortalQuery},
		{"GET /portal/tickets/{number}", citizen, "", s.handlePortalTicket},
		{"POST /portal/tickets/{number}/rate", citizen, "", s.handlePortalRate},
		{"/", public, "", s.handleNoPage},
	}
}

// routes registers the route table, each handler behind its access check.
func (s *Server) routes() {
	for _, rt := range s.routeTable() {
		h := rt.handler
		switch rt.access {
		case login:
			h = s.limit(s.loginLimit, h)
		case citizen:
			h = s.portalLimited(h)
		case api:
			if rt.perm != "" {
				h = s.requireAPI(rt.perm, h)
			}
			h = s.auth(h)
		case browser:
			if rt.perm != "" {
				h = s.require(rt.perm, h)
			}
			h = s.pageAuth(h)
		case integration:
			h = s.integration(string(rt.perm), h)
		}
		s.mux.HandleFunc(rt.pattern, h)
	}
}

// requireAPI refuses an API route to roles without the permission.
func (s *Server) requireAPI(p hotline.Permission, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if a := actorFrom(r); !a.Role.Has(p) {
			s.error(w, r, hotline.Errorf(hotline.EForbidden, "%s无权执行该操作", a.Role.Label()))
			return
		}
		h(w, r)
	}
}
