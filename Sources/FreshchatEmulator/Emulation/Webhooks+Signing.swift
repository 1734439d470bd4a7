import _CryptoExtras

/// Signing (issue "Webhooks"): `X-Freshchat-Signature` is the base64 of RSASSA-PKCS1-v1_5 with SHA-256 over the
/// exact body bytes, with a 2048-bit RSA key kept in the store; the public key is published as Freshchat's admin
/// page shows it.
extension Webhooks {
    /// The public key's two published forms.
    public enum PublicKeyFormat: String, Sendable, CaseIterable {
        /// As Freshchat shows it: the label `RSA PUBLIC KEY` around the base64 of an X.509 SubjectPublicKeyInfo
        /// (the label says PKCS #1, the content is SPKI; consumers are written for that mismatch).
        case freshchat
        /// A standard `BEGIN PUBLIC KEY` PEM of the same SubjectPublicKeyInfo (RFC 7468 §13).
        case spki
    }

    /// The signing key: the store's; a store without one gets `--webhook-private-key` or a new 2048-bit key.
    /// - Throws: `WebhookError` for an unusable key file or stored key, `SQLiteError`.
    func privateKey() throws -> _RSA.Signing.PrivateKey {
        let stored = try store.read { db in try db.webhookPrivateKey() }
        if let stored, let cached = signingKey.withLock({ $0 }), cached.pem == stored { return cached.key }
        let key: _RSA.Signing.PrivateKey
        let pem: String
        if let stored {
            do {
                key = try _RSA.Signing.PrivateKey(pemRepresentation: stored)
            } catch {
                throw WebhookError("the stored webhook signing key is not an RSA private key PEM: \(error)")
            }
            pem = stored
        } else {
            key = try configuredKey() ?? _RSA.Signing.PrivateKey(keySize: .bits2048)
            pem = key.pemRepresentation
            // Two first uses may race: the first key stored wins.
            let winner = try store.write { db -> String in
                if let existing = try db.webhookPrivateKey() { return existing }
                try db.setWebhookPrivateKey(pem)
                return pem
            }
            if winner != pem { return try privateKey() }
        }
        signingKey.withLock { $0 = (pem, key) }
        return key
    }

    /// Stores the key `--webhook-private-key` names in place of any other; nothing without the option.
    /// - Throws: `WebhookError` when the file cannot be read or holds no RSA private key.
    func installConfiguredKey() throws {
        guard let key = try configuredKey() else { return }
        let pem = key.pemRepresentation
        try store.write { db in try db.setWebhookPrivateKey(pem) }
    }

    private func configuredKey() throws -> _RSA.Signing.PrivateKey? {
        guard let path = config.webhookPrivateKeyFile else { return nil }
        let text: String
        do {
            text = String(decoding: try FileIO.read(path), as: UTF8.self)
        } catch {
            throw WebhookError("--webhook-private-key \(path): \(error)")
        }
        do {
            let key = try _RSA.Signing.PrivateKey(pemRepresentation: text)
            guard key.keySizeInBits >= 2048 else {
                throw WebhookError(
                    "--webhook-private-key \(path): the key has \(key.keySizeInBits) bits, not 2048 or more")
            }
            return key
        } catch let error as WebhookError {
            throw error
        } catch {
            throw WebhookError("--webhook-private-key \(path): not an RSA private key PEM (PKCS #1 or PKCS #8)")
        }
    }

    /// The public key in `format`, ending with a newline.
    /// - Throws: as `privateKey()`.
    public func publicKeyPEM(_ format: PublicKeyFormat = .freshchat) throws -> String {
        var pem = try privateKey().publicKey.pemRepresentation
        if format == .freshchat {
            pem = pem.replacing("-----BEGIN PUBLIC KEY-----", with: "-----BEGIN RSA PUBLIC KEY-----")
                .replacing("-----END PUBLIC KEY-----", with: "-----END RSA PUBLIC KEY-----")
        }
        return pem.hasSuffix("\n") ? pem : pem + "\n"
    }

    /// `X-Freshchat-Signature` for `body`: base64 of RSASSA-PKCS1-v1_5 with SHA-256 (RFC 8017 §8.2).
    /// - Throws: as `privateKey()`, or when signing fails.
    public func sign(_ body: [UInt8]) throws -> String {
        let signature = try privateKey().signature(for: body, padding: .insecurePKCS1v1_5)
        return Base64.encode(signature.withUnsafeBytes { Array($0) })
    }

    /// Runs `body` (a reset that replaces the store's contents) keeping the subscriptions and the signing key:
    /// they are settings of the emulator, not state a reset goes back from.
    /// - Throws: what `body` throws, `SQLiteError`.
    public func keepingSettings(_ body: () throws -> Void) throws {
        let (subscriptions, key) = try store.read { db in (try db.webhookSubscriptions(), try db.webhookPrivateKey()) }
        try body()
        try store.write { db in
            try db.replaceWebhookSubscriptions(subscriptions)
            if let key { try db.setWebhookPrivateKey(key) }
        }
    }
}
