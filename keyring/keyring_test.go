package keyring_test

import (
	"strings"
	"testing"

	"hotline/keyring"
)

func mustKeyring(t testing.TB, alg keyring.Algorithm, master string) (*keyring.Keyring, []keyring.Wrapped) {
	t.Helper()
	m, err := keyring.ParseMasterKey(master)
	if err != nil {
		t.Fatal(err)
	}
	k, err := keyring.New(m, alg)
	if err != nil {
		t.Fatal(err)
	}
	var stored []keyring.Wrapped
	for i, p := range []string{keyring.PurposeIndex, keyring.PurposeData} {
		w, err := k.NewKey(p)
		if err != nil {
			t.Fatal(err)
		}
		w.ID = int64(i + 1)
		stored = append(stored, w)
	}
	if err := k.Load(stored); err != nil {
		t.Fatal(err)
	}
	return k, stored
}

func TestKeyring_RoundTrip(t *testing.T) {
	master := keyring.GenerateMasterKey()
	for _, alg := range []keyring.Algorithm{keyring.AES256GCM, keyring.SM4GCM} {
		t.Run(string(alg), func(t *testing.T) {
			k, stored := mustKeyring(t, alg, master)
			ct, err := k.Encrypt("requester_phone", "13812345678")
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(ct, "13812345678") || keyring.KeyID(ct) != 2 {
				t.Fatalf("sealed %q", ct)
			}
			again, _ := k.Encrypt("requester_phone", "13812345678")
			if again == ct {
				t.Error("same plaintext sealed to the same ciphertext: nonce reused")
			}
			if got, err := k.Decrypt("requester_phone", ct); err != nil || got != "13812345678" {
				t.Errorf("Decrypt = %q, %v", got, err)
			}
			if _, err := k.Decrypt("requester_name", ct); err == nil {
				t.Error("value moved to another field still opens")
			}
			tampered := ct[:len(ct)-2] + "AA"
			if _, err := k.Decrypt("requester_phone", tampered); err == nil {
				t.Error("tampered value opens")
			}
			if k.BlindIndex("13812345678") != k.BlindIndex("13812345678") || k.BlindIndex("13812345678") == k.BlindIndex("13812345679") {
				t.Error("blind index not deterministic or collides")
			}
			// A second process with the same master key and stored keys reads it.
			m, _ := keyring.ParseMasterKey(master)
			k2, _ := keyring.New(m, alg)
			if err := k2.Load(stored); err != nil {
				t.Fatal(err)
			}
			if got, _ := k2.Decrypt("requester_phone", ct); got != "13812345678" || k2.BlindIndex("1") != k.BlindIndex("1") {
				t.Errorf("second keyring reads %q", got)
			}
			// Another master key cannot unwrap them.
			other, _ := keyring.ParseMasterKey(keyring.GenerateMasterKey())
			k3, _ := keyring.New(other, alg)
			if err := k3.Load(stored); err != keyring.ErrWrongMasterKey {
				t.Errorf("wrong master key: %v", err)
			}
		})
	}
}

func TestKeyring_Rotation(t *testing.T) {
	k, stored := mustKeyring(t, keyring.AES256GCM, keyring.GenerateMasterKey())
	old, _ := k.Encrypt("f", "张三")
	w, _ := k.NewKey(keyring.PurposeData)
	w.ID = 3
	stored[1].Active = false
	if err := k.Load([]keyring.Wrapped{stored[1], w}); err != nil {
		t.Fatal(err)
	}
	if k.ActiveKeyID() != 3 {
		t.Errorf("active key %d, want 3", k.ActiveKeyID())
	}
	if got, err := k.Decrypt("f", old); err != nil || got != "张三" {
		t.Errorf("old value after rotation: %q %v", got, err)
	}
	if ct, _ := k.Encrypt("f", "张三"); keyring.KeyID(ct) != 3 {
		t.Errorf("new values sealed with key %d", keyring.KeyID(ct))
	}
}

func TestParseMasterKey(t *testing.T) {
	for _, bad := range []string{"", "short", strings.Repeat("zz", 32), "AAAA"} {
		if _, err := keyring.ParseMasterKey(bad); err == nil {
			t.Errorf("accepted %q", bad)
		}
	}
	if _, err := keyring.ParseMasterKey(strings.Repeat("ab", 32)); err != nil {
		t.Errorf("hex key refused: %v", err)
	}
}

func FuzzDecrypt(f *testing.F) {
	k, _ := mustKeyring(f, keyring.AES256GCM, keyring.GenerateMasterKey())
	good, _ := k.Encrypt("f", "13812345678")
	for _, s := range []string{good, "", "v1.", "v1.2.", "v1.2.AAAA", "v1.99.AAAA", "v2.1.x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		plain, err := k.Decrypt("f", s)
		if err == nil && s != good && s != "" {
			t.Errorf("forged value %q opened to %q", s, plain)
		}
	})
}

func TestKeyring_Blobs(t *testing.T) {
	for _, alg := range []keyring.Algorithm{keyring.AES256GCM, keyring.SM4GCM} {
		k, _ := mustKeyring(t, alg, keyring.GenerateMasterKey())
		plain := []byte("\x89PNG 凤凰街 13907990001")
		sealed, err := k.EncryptBytes("attachment", plain)
		if err != nil {
			t.Fatal(err)
		}
		if keyring.BlobKeyID(sealed) != k.ActiveKeyID() || strings.Contains(string(sealed), "13907990001") {
			t.Fatalf("%s: sealed blob names key %d (active %d) or holds the plaintext", alg, keyring.BlobKeyID(sealed), k.ActiveKeyID())
		}
		if got, err := k.DecryptBytes("attachment", sealed); err != nil || string(got) != string(plain) {
			t.Fatalf("%s: opened %q, %v", alg, got, err)
		}
		if _, err := k.DecryptBytes("thumbnail", sealed); err == nil {
			t.Errorf("%s: a blob opened under another field", alg)
		}
		sealed[len(sealed)-1] ^= 1
		if _, err := k.DecryptBytes("attachment", sealed); err == nil {
			t.Errorf("%s: an altered blob opened", alg)
		}
		if _, err := k.DecryptBytes("attachment", sealed[:5]); err == nil {
			t.Errorf("%s: a truncated blob opened", alg)
		}
	}
}
