#!/usr/bin/env bash
# Code-signing hook for the macOS bundle, run by packaging/deploy.cmake after macdeployqt and
# before CPack builds the DMG:  sign.sh <path to MediaTriage.app>
#
# Empty on purpose: this project has no Developer ID. Unsigned, the app runs after the person
# right-clicks it and chooses Open once (Gatekeeper). To sign and notarize, a release pipeline
# with a "Developer ID Application" certificate in its keychain puts here:
#   codesign --force --deep --options runtime --timestamp \
#            --sign "Developer ID Application: <Team> (<TEAMID>)" "$1"
#   (then, on the DMG:) xcrun notarytool submit MediaTriage.dmg --keychain-profile <profile> --wait
#                       xcrun stapler staple MediaTriage.dmg
# macdeployqt already ad-hoc signs the bundle on Apple silicon, which is what lets it start there.
set -euo pipefail
[[ -d "${1:?usage: sign.sh MediaTriage.app}" ]]
echo "sign.sh: no signing identity configured; $1 stays ad-hoc signed"
