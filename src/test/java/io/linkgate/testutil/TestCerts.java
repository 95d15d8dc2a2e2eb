package io.linkgate.testutil;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Certificates for TLS tests, made at test time with BouncyCastle: a CA, certificates it signs (servers with SAN
 * 127.0.0.1/localhost, clients with a CN) and a second, unrelated CA for the "wrong CA" cases. EC P-256 keys, which
 * are quick to generate; everything is written as PEM (keys as PKCS#8) into a directory.
 */
public final class TestCerts {
  private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

  private final Path dir;
  private final String name;
  private final KeyPair caKeys;
  private final X509CertificateHolder caCert;

  private TestCerts(Path dir, String name, KeyPair caKeys, X509CertificateHolder caCert) {
    this.dir = dir;
    this.name = name;
    this.caKeys = caKeys;
    this.caCert = caCert;
  }

  /** A new CA named {@code name}; its certificate is {@code <dir>/<name>-ca.pem}. */
  public static TestCerts newCa(Path dir, String name) {
    try {
      KeyPair keys = keyPair();
      X500Name subject = new X500Name("CN=" + name + " test CA");
      X509v3CertificateBuilder b = builder(subject, subject, keys);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      X509CertificateHolder cert = b.build(signer(keys.getPrivate()));
      TestCerts ca = new TestCerts(dir, name, keys, cert);
      Files.createDirectories(dir);
      Files.writeString(ca.caFile(), pem("CERTIFICATE", cert.getEncoded()));
      return ca;
    } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  public Path caFile() {
    return dir.resolve(name + "-ca.pem");
  }

  /** A server certificate for 127.0.0.1 and localhost. */
  public Issued server(String cn) {
    return issue(cn, true);
  }

  /** A client certificate whose subject is {@code CN=<cn>}. */
  public Issued client(String cn) {
    return issue(cn, false);
  }

  private Issued issue(String cn, boolean server) {
    try {
      KeyPair keys = keyPair();
      X509v3CertificateBuilder b = builder(caCert.getSubject(), new X500Name("CN=" + cn + ",O=Linkgate tests"),
        keys);
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
        server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth));
      if (server) {
        b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
          new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")}));
      }
      X509CertificateHolder cert = b.build(signer(caKeys.getPrivate()));
      String base = name + "-" + cn.replaceAll("[^A-Za-z0-9_-]", "_");
      Path certFile = dir.resolve(base + ".pem");
      Path keyFile = dir.resolve(base + ".key");
      Files.writeString(certFile, pem("CERTIFICATE", cert.getEncoded()));
      Files.writeString(keyFile, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
      return new Issued(certFile, keyFile);
    } catch (GeneralSecurityException | IOException | org.bouncycastle.operator.OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A certificate and its private key, as PEM files. */
  public record Issued(Path cert, Path key) {
    public String certPem() {
      return read(cert);
    }

    public String keyPem() {
      return read(key);
    }

    private static String read(Path p) {
      try {
        return Files.readString(p);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /**
   * A client-side SSL context trusting {@code caFile}, presenting {@code client} when not null (for Paho's
   * {@code setSocketFactory}).
   */
  public static javax.net.ssl.SSLContext clientContext(Path caFile, Issued client) {
    try {
      java.security.cert.CertificateFactory cf = java.security.cert.CertificateFactory.getInstance("X.509");
      java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      try (var in = Files.newInputStream(caFile)) {
        trust.setCertificateEntry("ca", cf.generateCertificate(in));
      }
      javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
        javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      javax.net.ssl.KeyManager[] keyManagers = null;
      if (client != null) {
        java.security.KeyStore keys = java.security.KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        java.security.cert.Certificate cert;
        try (var in = Files.newInputStream(client.cert())) {
          cert = cf.generateCertificate(in);
        }
        String body = client.keyPem().replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PrivateKey key = java.security.KeyFactory.getInstance("EC")
          .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
        keys.setKeyEntry("client", key, new char[0], new java.security.cert.Certificate[] {cert});
        javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
          javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        keyManagers = kmf.getKeyManagers();
      }
      javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
      ctx.init(keyManagers, tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, KeyPair keys) {
    Instant now = Instant.now();
    return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
      Date.from(now.minus(1, ChronoUnit.HOURS)), Date.from(now.plus(2, ChronoUnit.DAYS)), subject, keys.getPublic());
  }

  private static KeyPair keyPair() throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    return g.generateKeyPair();
  }

  private static ContentSigner signer(PrivateKey key) throws org.bouncycastle.operator.OperatorCreationException {
    return new JcaContentSignerBuilder("SHA256withECDSA").build(key);
  }

  private static String pem(String type, byte[] der) {
    String b64 = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
  }
}
