package wechat_test

import (
	"strings"
	"testing"

	"hotline/channel/wechat"
)

// The published vectors. Safe-mode encryption: the official Java
// sample's test (WXBizMsgCryptTest: token pamtest, AppID
// wxb11529c136998cb6, the random string aaaabbbbccccdddd, the reply
// 我是中文abcd123). Decryption and msg_signature: the official Python
// sample (Sample.py: token spamtest, AppID wx2c2769f8efd9abc2,
// timestamp 1409735669, nonce 1320562132).
const (
	sampleKey = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"

	javaAppID     = "wxb11529c136998cb6"
	javaRandom    = "aaaabbbbccccdddd"
	javaReply     = "我是中文abcd123"
	javaEncrypted = "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg=="

	pyToken     = "spamtest"
	pyAppID     = "wx2c2769f8efd9abc2"
	pyTimestamp = "1409735669"
	pyNonce     = "1320562132"
	pySignature = "5d197aaffba7e9b25a30732f161a50dee96bd5fa"
	pyEncrypted = "hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655HuD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWNlZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCOp3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE="
)

func TestEncrypt_JavaSample(t *testing.T) {
	c, err := wechat.NewCrypter(sampleKey, javaAppID)
	if err != nil {
		t.Fatal(err)
	}
	c.Random = strings.NewReader(javaRandom)
	got, err := c.Encrypt([]byte(javaReply))
	if err != nil || got != javaEncrypted {
		t.Fatalf("Encrypt = %q, %v\nwant   %q", got, err, javaEncrypted)
	}
	back, err := c.Decrypt(got)
	if err != nil || string(back) != javaReply {
		t.Errorf("Decrypt = %q, %v", back, err)
	}
}

func TestDecrypt_PythonSample(t *testing.T) {
	if !wechat.SignatureOK(pySignature, pyToken, pyTimestamp, pyNonce, pyEncrypted) {
		t.Errorf("msg_signature: got %s, want %s", wechat.Signature(pyToken, pyTimestamp, pyNonce, pyEncrypted), pySignature)
	}
	if wechat.SignatureOK(pySignature, pyToken, pyTimestamp, "1320562133", pyEncrypted) {
		t.Error("a changed nonce passed the signature")
	}
	c, err := wechat.NewCrypter(sampleKey, pyAppID)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := c.Decrypt(pyEncrypted)
	if err != nil || !strings.HasPrefix(string(msg), "<xml>") || !strings.Contains(string(msg), "</xml>") {
		t.Fatalf("Decrypt = %q, %v", msg, err)
	}
	other, _ := wechat.NewCrypter(sampleKey, "wx0000000000000000")
	if _, err := other.Decrypt(pyEncrypted); err == nil || !strings.Contains(err.Error(), pyAppID) {
		t.Errorf("another AppID: %v", err)
	}
	if _, err := c.Decrypt(pyEncrypted[:len(pyEncrypted)-8] + "AAAAAAA="); err == nil {
		t.Error("a damaged message decrypted")
	}
}

func TestNewCrypter(t *testing.T) {
	for _, k := range []string{"", "short", sampleKey + "x", strings.Repeat("!", 43)} {
		if _, err := wechat.NewCrypter(k, "wx1"); err == nil {
			t.Errorf("key %q accepted", k)
		}
	}
}
