package web

import (
	"encoding/json"
	"io"
	"net/http"

	"hotline"
	"hotline/channel/sms"
)

// handleSMSInbound is POST /sms/inbound, where the SMS provider posts a
// citizen's reply {"phone","text"} signed like the outbound texts
// (X-Hotline-Signature, hex HMAC-SHA256 of the body under the shared
// secret). A reply 1, 2 or 3 rates the ticket the phone was last asked
// about → {"status":"rated","number"}; anything else →
// {"status":"ignored"}; a bad signature → 403 and nothing changes.
func (s *Server) handleSMSInbound(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		s.error(w, r, hotline.Invalid("body", "请求体读取失败"))
		return
	}
	if !sms.Verify(s.SMSSecret, body, r.Header.Get("X-Hotline-Signature")) {
		s.error(w, r, hotline.Errorf(hotline.EForbidden, "签名无效"))
		return
	}
	var in struct{ Phone, Text string }
	if err := json.Unmarshal(body, &in); err != nil || in.Phone == "" {
		s.error(w, r, hotline.Invalid("phone", "应为 {\"phone\",\"text\"}"))
		return
	}
	rating, ok := sms.ParseRating(in.Text)
	if !ok {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ignored"})
		return
	}
	number, err := s.DB.Portal().RateByText(r.Context(), in.Phone, rating)
	if hotline.ErrorCode(err) == hotline.ENotFound || hotline.ErrorCode(err) == hotline.EConflict {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ignored"})
		return
	} else if err != nil {
		s.error(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "rated", "number": number})
}
