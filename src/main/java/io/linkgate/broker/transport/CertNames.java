package io.linkgate.broker.transport;

import java.security.cert.X509Certificate;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/** Names read from certificates. */
final class CertNames {

  private CertNames() {
  }

  /** The subject's (most specific) CN, or null when it has none. */
  static String commonName(X509Certificate cert) {
    try {
      LdapName dn = new LdapName(cert.getSubjectX500Principal().getName());
      String cn = null;
      for (Rdn rdn : dn.getRdns()) { // LdapName lists RDNs from the least specific, so the last CN wins
        if (rdn.getType().equalsIgnoreCase("CN")) {
          cn = rdn.getValue().toString();
        }
      }
      return cn;
    } catch (InvalidNameException e) {
      return null;
    }
  }
}
