# `make install` (PREFIX, DESTDIR) and the Debian package (`cpack -G DEB` in the build directory).
# Layout (GNUInstallDirs; PREFIX=/usr puts the configuration in /etc):
#   bin/modelwatch
#   <sysconfdir>/modelwatch/modelwatch.yaml         the example configuration (a conffile):
#                                                   /etc for PREFIX=/usr, else PREFIX/etc
#   lib/systemd/system/modelwatch.service           deploy/systemd/modelwatch.service, with its
#                                                   /usr/local paths rewritten to PREFIX
#   share/modelwatch/{prometheus,alertmanager,grafana}  rules, routing, dashboards, provisioning
#   share/doc/modelwatch/                           README, docs, runbooks, the example again
# tests/integration/install_test.sh and deb_package_test.sh check it.
include(GNUInstallDirs)

install(TARGETS modelwatch RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# The configuration directory and the unit's paths follow the prefix given at install time
# (`make install PREFIX=...`, `cmake --install --prefix`, CPack's /usr), not the one configured:
# /etc for /usr, <prefix>/etc otherwise (GNUInstallDirs' rule).
install(CODE [[
  if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
    set(MW_ETC "/etc")
  else()
    set(MW_ETC "${CMAKE_INSTALL_PREFIX}/etc")
  endif()
]])
install(CODE "set(example \"${CMAKE_SOURCE_DIR}/config/modelwatch.example.yaml\")")
install(CODE [[
  file(INSTALL DESTINATION "${MW_ETC}/modelwatch" TYPE FILE RENAME modelwatch.yaml
       FILES "${example}")
]])

# The systemd unit comes from deploy/systemd/ (written on another branch: until it is merged
# there is none, and nothing is installed for it). Its /usr/local and /etc/modelwatch paths are
# rewritten to the install prefix.
install(CODE "set(unit_source \"${CMAKE_SOURCE_DIR}/deploy/systemd/modelwatch.service\")")
install(CODE [[
  if(EXISTS "${unit_source}")
    file(READ "${unit_source}" unit)
    string(REPLACE "/usr/local/" "${CMAKE_INSTALL_PREFIX}/" unit "${unit}")
    string(REPLACE "/etc/modelwatch/" "${MW_ETC}/modelwatch/" unit "${unit}")
    set(unit_dir "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}/lib/systemd/system")
    file(MAKE_DIRECTORY "${unit_dir}")
    file(WRITE "${unit_dir}/modelwatch.service" "${unit}")
    message(STATUS "Installing: ${unit_dir}/modelwatch.service")
  endif()
]])

set(MW_SHARE ${CMAKE_INSTALL_DATADIR}/modelwatch)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/prometheus/modelwatch-alerts.yaml
              ${CMAKE_SOURCE_DIR}/deploy/prometheus/modelwatch-rules.yaml
        DESTINATION ${MW_SHARE}/prometheus)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/prometheus/triton/triton-rules.yaml
              ${CMAKE_SOURCE_DIR}/deploy/prometheus/triton/prometheus.yml
        DESTINATION ${MW_SHARE}/prometheus/triton)
install(FILES ${CMAKE_SOURCE_DIR}/deploy/alertmanager/alertmanager.yml
        DESTINATION ${MW_SHARE}/alertmanager)
install(DIRECTORY ${CMAKE_SOURCE_DIR}/grafana/dashboards ${CMAKE_SOURCE_DIR}/grafana/provisioning
        DESTINATION ${MW_SHARE}/grafana)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/LICENSE
              ${CMAKE_SOURCE_DIR}/config/modelwatch.example.yaml
              ${CMAKE_SOURCE_DIR}/config/minimal.yaml
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR}
        FILES_MATCHING PATTERN "*.md")

# Debian package: modelwatch_<version>_<arch>.deb, dependencies from dpkg-shlibdeps.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME modelwatch)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "modelwatch maintainers <modelwatch@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "monitoring sidecar for ML models: drift, data quality and pipeline health for Prometheus")
set(CPACK_PACKAGE_DESCRIPTION
    "modelwatch tails a model server's JSON-lines prediction log, compares every feature and\
 output with the training reference in sliding windows and serves drift, data quality and\
 pipeline health on /metrics.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE https://github.com/modelwatch/modelwatch)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS adduser)
set(CPACK_STRIP_FILES bin/modelwatch)
# postinst creates the modelwatch system user and its state directory; the service is not
# started: the example configuration names a log and reference that must be edited first.
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/deploy/debian/postinst ${CMAKE_SOURCE_DIR}/deploy/debian/postrm
    ${CMAKE_SOURCE_DIR}/deploy/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
include(CPack)
