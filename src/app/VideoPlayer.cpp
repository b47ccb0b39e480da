#include "VideoPlayer.h"

#include <QAudioDevice>
#include <QAudioOutput>
#include <QBuffer>
#include <QHBoxLayout>
#include <QLabel>
#include <QMediaDevices>
#include <QMediaPlayer>
#include <QSlider>
#include <QStyle>
#include <QToolButton>
#include <QUrl>
#include <QVBoxLayout>
#include <QVideoWidget>

namespace mt::app {

namespace {
QString clock(qint64 ms)
{
    const qint64 s = std::max<qint64>(0, ms) / 1000;
    return s >= 3600 ? QStringLiteral("%1:%2:%3").arg(s / 3600).arg(s % 3600 / 60, 2, 10, QLatin1Char('0')).arg(s % 60, 2, 10, QLatin1Char('0'))
                     : QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}
} // namespace

VideoPlayer::VideoPlayer(QWidget *parent)
    : QWidget(parent), m_player(new QMediaPlayer(this)), m_clip(new QBuffer(this)), m_video(new QVideoWidget(this)), m_play(new QToolButton(this)),
      m_mute(new QToolButton(this)), m_seek(new QSlider(Qt::Horizontal, this)), m_time(new QLabel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_video, 1);
    auto *controls = new QHBoxLayout;
    controls->setContentsMargins(6, 4, 6, 4);
    controls->addWidget(m_play);
    controls->addWidget(m_seek, 1);
    controls->addWidget(m_time);
    controls->addWidget(m_mute);
    layout->addLayout(controls);

    m_player->setVideoOutput(m_video);
    // Qt's FFmpeg backend crashes writing audio when there is no output device; with no device
    // there is nothing to hear anyway.
    if (!QMediaDevices::audioOutputs().isEmpty()) {
        m_audio = new QAudioOutput(this);
        m_player->setAudioOutput(m_audio);
    }

    m_play->setIcon(style()->standardIcon(QStyle::SP_MediaPlay));
    m_play->setAccessibleName(tr("Play or pause"));
    m_play->setToolTip(tr("Play/Pause (K)"));
    m_mute->setIcon(style()->standardIcon(QStyle::SP_MediaVolume));
    m_mute->setCheckable(true);
    m_mute->setAccessibleName(tr("Mute"));
    m_mute->setToolTip(tr("Mute (M)"));
    m_mute->setEnabled(m_audio != nullptr);
    m_seek->setAccessibleName(tr("Position"));
    m_time->setAccessibleName(tr("Time"));
    m_video->setAccessibleName(tr("Video"));
    // The preview window owns the keyboard (Left/Right, Space, Esc); the controls are for the mouse.
    for (QWidget *w : {static_cast<QWidget *>(m_play), static_cast<QWidget *>(m_mute), static_cast<QWidget *>(m_seek)})
        w->setFocusPolicy(Qt::NoFocus);

    connect(m_play, &QToolButton::clicked, this, &VideoPlayer::togglePlay);
    connect(m_mute, &QToolButton::toggled, this, [this](bool muted) {
        if (m_audio)
            m_audio->setMuted(muted);
        m_mute->setIcon(style()->standardIcon(muted ? QStyle::SP_MediaVolumeMuted : QStyle::SP_MediaVolume));
    });
    connect(m_player, &QMediaPlayer::playbackStateChanged, this, [this](QMediaPlayer::PlaybackState state) {
        m_play->setIcon(style()->standardIcon(state == QMediaPlayer::PlayingState ? QStyle::SP_MediaPause
                                                                                  : QStyle::SP_MediaPlay));
    });
    connect(m_player, &QMediaPlayer::durationChanged, this, [this](qint64 duration) {
        m_seek->setRange(0, int(duration));
        updateTime();
    });
    connect(m_player, &QMediaPlayer::positionChanged, this, [this](qint64 position) {
        if (!m_seeking)
            m_seek->setValue(int(position));
        updateTime();
    });
    connect(m_seek, &QSlider::sliderPressed, this, [this] { m_seeking = true; });
    connect(m_seek, &QSlider::sliderReleased, this, [this] {
        m_seeking = false;
        m_player->setPosition(m_seek->value());
    });
    connect(m_seek, &QSlider::actionTriggered, this, [this](int action) {
        // Clicks on the groove and keyboard steps seek at once; drags seek on release.
        if (action != QAbstractSlider::SliderMove)
            m_player->setPosition(m_seek->sliderPosition());
    });
    connect(m_player, &QMediaPlayer::errorOccurred, this, [this](QMediaPlayer::Error, const QString &message) {
        m_time->setText(tr("Cannot play: %1").arg(message));
    });
    updateTime();
}

void VideoPlayer::setSource(const QString &path)
{
    m_player->setSource(QUrl::fromLocalFile(path));
    m_player->play();
}

void VideoPlayer::setSourceBytes(const QByteArray &clip)
{
    m_player->stop();
    m_player->setSource(QUrl());
    m_clip->close();
    m_clip->setData(clip);
    m_clip->open(QIODevice::ReadOnly);
    // The URL only tells the backend what kind of stream the device holds.
    m_player->setSourceDevice(m_clip, QUrl(QStringLiteral("motion.mp4")));
    m_player->play();
}

void VideoPlayer::stop()
{
    m_player->stop();
    m_player->setSource(QUrl());
    m_clip->close();
    m_clip->setData(QByteArray());
}

void VideoPlayer::togglePlay()
{
    if (m_player->playbackState() == QMediaPlayer::PlayingState)
        m_player->pause();
    else
        m_player->play();
}

void VideoPlayer::updateTime()
{
    m_time->setText(tr("%1 / %2").arg(clock(m_player->position()), clock(m_player->duration())));
}

} // namespace mt::app
