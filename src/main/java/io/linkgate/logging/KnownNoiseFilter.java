package io.linkgate.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;

/**
 * Drops one known, harmless warning: vertx-micrometer-metrics 5.0 registers its {@code vertx.*} gauges again for
 * every event-bus handler, which Micrometer reports at every start as "This Gauge has been already registered"
 * (vert-x3/vertx-micrometer-metrics#259; the values are right). The same warning about any other meter still shows.
 */
public final class KnownNoiseFilter extends Filter<ILoggingEvent> {
  @Override
  public FilterReply decide(ILoggingEvent event) {
    String message = event.getMessage();
    if (event.getLoggerName().startsWith("io.micrometer.") && message != null
        && message.startsWith("This Gauge has been already registered (MeterId{name='vertx.")) {
      return FilterReply.DENY;
    }
    return FilterReply.NEUTRAL;
  }
}
