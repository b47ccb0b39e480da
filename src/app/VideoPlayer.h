#pragma once

#include <QWidget>

class QBuffer;
class QLabel;
class QMediaPlayer;
class QAudioOutput;
class QSlider;
class QToolButton;
class QVideoWidget;

namespace mt::app {

// A plain player for one clip: play/pause, seek slider, time, mute.
class VideoPlayer : public QWidget
{
    Q_OBJECT

public:
    explicit VideoPlayer(QWidget *parent = nullptr);

    void setSource(const QString &path);
    // Plays a clip held in memory (a Motion Photo's video) without writing it anywhere.
    void setSourceBytes(const QByteArray &clip);
    void stop();
    void togglePlay();
    QMediaPlayer *player() const { return m_player; }
    QVideoWidget *videoWidget() const { return m_video; }

private:
    void updateTime();

    QMediaPlayer *m_player;
    QBuffer *m_clip;
    QAudioOutput *m_audio = nullptr;
    QVideoWidget *m_video;
    QToolButton *m_play;
    QToolButton *m_mute;
    QSlider *m_seek;
    QLabel *m_time;
    bool m_seeking = false;
};

} // namespace mt::app
