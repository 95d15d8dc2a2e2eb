# Linkgate in a container: docker build -t linkgate . && docker run -p 1883:1883 -p 8083:8083 -p 18083:18083 \
#   -v linkgate-data:/opt/linkgate/data linkgate
# The running config is /opt/linkgate/data/linkgate.conf, copied from the shipped reference at the first start and
# kept in the data volume with the rest of the node's state. To bring your own, mount its directory (not the file
# alone: REST changes replace the file by a rename) and name it:
#   docker run -v "$PWD/etc:/etc/linkgate" -v linkgate-data:/opt/linkgate/data linkgate -c /etc/linkgate/linkgate.conf
# `docker stop` sends SIGTERM: MQTT 5 clients get DISCONNECT 0x8B and the process exits 143.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml ./
COPY .mvn/ .mvn/
COPY src/ src/
RUN mvn -q -B -DskipTests package

FROM eclipse-temurin:17-jre
RUN groupadd --system linkgate && useradd --system --gid linkgate --home-dir /opt/linkgate linkgate
WORKDIR /opt/linkgate
COPY --from=build /src/target/linkgate.jar /opt/linkgate/linkgate.jar
COPY conf/ /opt/linkgate/conf/
RUN mkdir -p /opt/linkgate/data && chown linkgate:linkgate /opt/linkgate/data
USER linkgate
VOLUME ["/opt/linkgate/data"]
# MQTT over TCP, MQTT over WebSocket, REST API and dashboard
EXPOSE 1883 8083 18083
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
ENTRYPOINT ["java", "-jar", "/opt/linkgate/linkgate.jar"]
